// `dalec-bake build` hands a parent to a child of a later invocation. A build step's and a test's
// mounted inline sources come from the spec's sources node, and keep the uid/gid the spec gives
// them (test/fixtures/owned-mounts checks them with stat) whichever invocation builds the reader,
// on the sources node's platform (amd64) and on another (arm64, through its copy for arm64).
import { randomUUID } from "node:crypto";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("dalec-bake build: owners across invocations", () => {
  it("a mounted inline source keeps its owner in a build step and a test of later invocations", { timeout: 1_800_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-owned-");
    cpSync(join(ROOT, "test/fixtures/owned-mounts"), dir, { recursive: true });
    // the steps that check owners run each time, never come from an earlier run's cache
    const spec = join(dir, "owned.yml");
    writeFileSync(spec, readFileSync(spec, "utf8").replaceAll("NONCE", randomUUID()));
    const r = await runCli(["build", "tests", "--chunk", "3", "--out", "tree"], dir, "x64", cleanEnv());
    expect(r.code, `${r.stdout}\n${r.stderr.slice(-4000)}`).toBe(0);
    // the sources node went first, alone with the system nodes, and was copied for arm64
    const first = JSON.parse(readFileSync(join(dir, "tree/logs/chunk-001.json"), "utf8")) as { target: Record<string, unknown> };
    expect(Object.keys(first.target).sort()).toEqual(["sources--owned-mounts", "sources--owned-mounts--for--linux-arm64", "system--bookworm--amd64", "system--bookworm--arm64"]);
    // the checks ran: the build and test nodes of both arches were built, not found in a cache
    const summary = readFileSync(join(dir, "tree/logs/summary.txt"), "utf8");
    const built = [...summary.matchAll(/^(\S+) +built /gm)].map((m) => m[1]!);
    for (const node of ["build--owned-mounts--bookworm--amd64", "build--owned-mounts--bookworm--arm64", "test--owned-mounts--bookworm--amd64", "test--owned-mounts--bookworm--arm64"])
      expect(built, summary).toContain(node);
  });
});
