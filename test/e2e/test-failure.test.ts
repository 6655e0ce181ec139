// A failing test on the real engine: each test runs in a stage of its own, and one failing fails
// the test node (no stage is left out of the node's result), naming the spec line, the test, the
// step and the check.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const SPEC = `name: two-tests
version: 1.0
build:
  steps:
    - command: "true"
tests:
  - name: passes
    steps:
      - command: echo ok
        stdout: { equals: "ok\\n" }
  - name: fails
    steps:
      - command: echo actual
        stdout: { equals: "expected\\n" }
    files:
      # through a file: stat fails with ENOTDIR, an error rather than an absent file
      /etc/passwd/x: { not_exist: true }
`;

describeEngine("a failing test", () => {
  it("fails its test node, naming the spec line, test, step and check", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-testfail-");
    writeFileSync(join(dir, "spec.yml"), SPEC);
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(dir, "out", "bake.sh"), ["tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).not.toBe(0);
    // line 13 is the failing step of the second test, line 17 its file check
    expect(r.all).toContain(`FAIL spec.yml:13:9: test "fails", step 1: stdout does not equal $'expected\\n'; found $'actual\\n'`);
    expect(r.all).toMatch(/FAIL spec\.yml:17:7: test "fails", file \/etc\/passwd\/x cannot be checked: .*Not a directory\n/);
    // the stage of the test that fails, not the one that passes, is the failing step
    expect(r.all).toMatch(/ERROR: process "[^"]*DALEC_RUN_TEST=2 bash \/dalec\/test\.sh/);
    expect(r.all).not.toMatch(/ERROR: process "[^"]*DALEC_RUN_TEST=1 /);
  });
});
