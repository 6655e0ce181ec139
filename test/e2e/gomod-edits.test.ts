// gomod edits on the real engine (test/fixtures/gomod-edits), without any network: a replace
// pointing at a folder and a dropped requirement of a module no server has. Dalec runs go mod
// tidy after the edits; the build step checks go.mod, builds the program, and the spec's test
// runs it from the image.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("gomod edits", () => {
  it("replace and drop, then go mod tidy, as Dalec applies them", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gomod-edits-");
    cpSync(join(ROOT, "test/fixtures/gomod-edits"), dir, { recursive: true });
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-4000)).toBe(0);
  });
});
