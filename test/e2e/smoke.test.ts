// `./bake.sh tests-smoke` at the repository root: the README's main job.
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { parseRawJson } from "./rawjson.js";

describeEngine("./bake.sh tests-smoke", () => {
  it("builds and tests the default vector", async () => {
    requireEngine();
    const r = await execa("./bake.sh", ["tests-smoke", "--progress=rawjson"], { cwd: ROOT, env: cleanEnv(), extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const targets = new Set(parseRawJson(r.stderr).map((s) => s.target ?? ""));
    expect(targets).toContain("test--dalec-bake-hello--bookworm--amd64--release");
    expect([...targets].filter((t) => /arm64|trixie|debug/.test(t))).toEqual([]);
  });

  it("follows a singular vector from the environment", async () => {
    const r = await execa("./bake.sh", ["tests-smoke", "--print"], { cwd: ROOT, env: cleanEnv({ variant: "debug" }), extendEnv: false });
    expect(Object.keys(JSON.parse(r.stdout).target)).toContain("test--dalec-bake-hello--bookworm--amd64--debug");
  });
});
