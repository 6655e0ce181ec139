// Digest references from bake's metadata file, and the records jobs leave for each other.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDigests } from "../../../src/io/digest-folder.js";
import { EARLIER, digestRefsOf, repositoryOf } from "../../../src/run/digests.js";
import { writeDigest } from "../../../src/write/run-files.js";

const D = `sha256:${"c".repeat(64)}`;

describe("digests", () => {
  it("names the repository of an image name, with a port, a tag or a digest", () => {
    expect(repositoryOf("127.0.0.1:5000/x/node:deps--a--run-1")).toBe("127.0.0.1:5000/x/node");
    expect(repositoryOf("127.0.0.1:5000/x/node")).toBe("127.0.0.1:5000/x/node");
    expect(repositoryOf(`registry.example:443/a/b@${D}`)).toBe("registry.example:443/a/b");
  });

  it("reads each pushed target's digest from bake's metadata file and skips the rest", () => {
    const refs = digestRefsOf({
      "deps--a": { "containerimage.digest": D, "image.name": "127.0.0.1:5000/x/node:deps--a--run-7" },
      "image--a": { "containerimage.digest": D, "image.name": "127.0.0.1:5000/x/a:bookworm-amd64, 127.0.0.1:5000/x/a:latest" },
      "test--a": { "buildx.build.ref": "default/default/x" },
      "buildx.build.warnings": [],
    });
    expect([...refs]).toEqual([
      ["deps--a", `127.0.0.1:5000/x/node@${D}`],
      ["image--a", `127.0.0.1:5000/x/a@${D}`],
    ]);
    expect(digestRefsOf(undefined).size).toBe(0);
  });

  it("reads back this run's records, its own and those downloaded from earlier jobs, and says which record is broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "dalec-bake-digests-"));
    writeDigest(dir, "deps--a", { node: "deps--a", ref: `r/node@${D}`, run: "7" });
    writeDigest(join(dir, EARLIER), "system--a", { node: "system--a", ref: `r/node@${D}`, run: "7" });
    // an older run's record never counts
    writeDigest(dir, "image--a", { node: "image--a", ref: `r/a@${D}`, run: "6" });
    expect(readDigests(dir, "7")).toEqual(new Map([["system--a", `r/node@${D}`], ["deps--a", `r/node@${D}`]]));
    expect(readDigests(dir, "6")).toEqual(new Map([["image--a", `r/a@${D}`]]));
    expect(readDigests(join(dir, "none"), "7").size).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    writeFileSync(join(dir, "bad.json"), '{"node": "x", "ref": "r/node:latest", "run": "7"}\n');
    expect(() => readDigests(dir, "7")).toThrow(
      `${join(dir, "bad.json")}: expected {"node": NAME, "ref": "REPOSITORY@sha256:...", "run": RUN}, found {"node":"x","ref":"r/node:latest","run":"7"} (delete it, or the folder, and build again)`,
    );
    writeFileSync(join(dir, "bad.json"), '{"node": "x", "re');
    expect(() => readDigests(dir, "7")).toThrow(/bad\.json: expected a digest record as JSON, found unreadable text .*\(delete it, or the folder, and build again\)$/);
  });
});
