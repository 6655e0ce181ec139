// With the docker driver bake loads each parent a child reads (`target:`) into the image store,
// an untagged one as `moby-dangling@<manifest digest>`. Two parents of the same content would
// be loaded under one name, at the same moment when BuildKit runs their alike steps as one, and
// one load then fails ("already exists": a failed CI run). Each node's label
// (graph/blocks.ts: NODE_LABEL) makes its image its own. Two specs with no sources make two
// sources nodes of the same files (test/fixtures/twin-specs).
import { cpSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("images bake loads for children", () => {
  it("each have a name of their own, even when two nodes have the same files", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-twins-");
    cpSync(join(ROOT, "test/fixtures/twin-specs"), dir, { recursive: true });
    expect((await runCli(["gen", "--out", "out"], dir)).code).toBe(0);
    const r = await execa("docker", ["buildx", "bake", "-f", "docker-bake.hcl", "packages", "--progress=plain"], { cwd: join(dir, "out"), env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-4000)).toBe(0);
    // Plain progress may print one export's naming line twice (under way, then done): key by vertex.
    const byVertex = new Map([...(r.all ?? "").matchAll(/^#(\d+) naming to (moby-dangling@sha256:[0-9a-f]{64})/gm)].map((m) => [m[1]!, m[2]!]));
    const loaded = [...byVertex.values()];
    // system, sources and deps of each twin (the sources nodes alone would be alike without the label)
    expect(loaded.length).toBeGreaterThanOrEqual(4);
    expect(loaded.filter((name, i) => loaded.indexOf(name) !== i)).toEqual([]);
  });
});
