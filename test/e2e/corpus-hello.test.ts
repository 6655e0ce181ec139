// A real Dalec spec, unchanged, with no matrix file: gen, build and its own tests on bookworm.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { CORPUS, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("hello.inline.yml from Dalec's corpus", () => {
  it("gens with the default matrix, builds and passes its own tests on bookworm amd64", async () => {
    requireEngine();
    const out = tempDir("dalec-bake-corpus-");
    const g = await runCli(["gen", join(CORPUS, "hello.inline.yml")], out, "x64");
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    // A test node succeeds only when every check passed (its output shows only when not cached).
    expect(readdirSync(join(out, "out", "pkg--hello-inline--bookworm--amd64"))).toEqual(["hello-inline_0.1.0-debian12u1_amd64.deb"]);
  });
});
