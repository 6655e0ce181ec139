// Sources mounted into build steps and tests, and a named build context, on the real engine
// (test/fixtures/mounts): the spec's own steps check each mount at its destination (a file
// source as the file, folders filtered by includes/excludes) and that no mounted source is left
// among the sources; its tests check theirs, each test from the image (a file one test writes
// is not there for the next, two tests mount different sources at one destination); the package
// holds what the steps made of them.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("build step and test mounts, named build contexts", () => {
  it("mount each source where the spec says, for the build and for the tests", { timeout: 900_000 }, async () => {
    requireEngine();
    const out = tempDir("dalec-bake-mounts-");
    const g = await runCli(["gen", "--config", "dalec-bake.yaml", "--out", out], join(ROOT, "test/fixtures/mounts"));
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    const pkgDir = join(out, "out", "pkg--mounted--bookworm--amd64");
    const deb = readdirSync(pkgDir).find((f) => f.endsWith(".deb"));
    expect(deb).toBeDefined();
    const all = await execa("sh", ["-c", `dpkg-deb --fsys-tarfile "$1" | tar -xOf - ./usr/share/mounted/all.txt`, "sh", join(pkgDir, deb!)]);
    expect(all.stdout).toBe("config file\nfrom the context\nhello from a named context");
  });
});
