// The generated bake.sh, run by bash with a stand-in `docker` on PATH (test/fake-docker/docker):
// it hands its arguments to bake, runs it once more only after the engine's image-store load
// race, and otherwise exits with bake's status after one run.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { renderBakeSh } from "../../../src/render/bake-sh.js";
import { ROOT } from "../../helpers/cli.js";

function setUp(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "dalec-bake-sh-"));
  writeFileSync(join(dir, "bake.sh"), renderBakeSh());
  chmodSync(join(dir, "bake.sh"), 0o755);
  return { dir, env: { PATH: `${join(ROOT, "test/fake-docker")}:${process.env.PATH}`, FAKE_STATE: dir } };
}

describe("bake.sh", () => {
  it("runs bake once more after the image-store load race, and passes its arguments", async () => {
    const { dir, env } = setUp();
    const r = await execa(join(dir, "bake.sh"), ["tests-smoke", "--progress=rawjson"], { env: { ...env, FAKE_LOAD_RACE: "1" }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(join(dir, "calls"), "utf8").trim()).toBe("2");
    expect(readFileSync(join(dir, "args"), "utf8")).toBe("buildx bake -f docker-bake.hcl tests-smoke --progress=rawjson\n".repeat(2));
    expect(r.stderr).toContain("running bake once more");
  });

  it("exits with bake's status after one run for any other failure", async () => {
    const { dir, env } = setUp();
    const r = await execa(join(dir, "bake.sh"), ["t1"], { env: { ...env, FAKE_FAIL: "t1" }, reject: false });
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "calls"), "utf8").trim()).toBe("1");
    expect(r.stderr).toContain("ERROR: target t1: failed to solve");
  });
});
