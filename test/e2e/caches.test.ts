// build.caches on the real engine (test/fixtures/caches): a dir cache keyed per distro and arch
// outlives a build, so a second variant's build reads what the first wrote; the Go build cache
// is mounted and GOCACHE points at it.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

async function packaged(deb: string, path: string): Promise<string> {
  const r = await execa("sh", ["-c", `dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"`, "sh", deb, path]);
  return r.stdout;
}

describeEngine("build caches", () => {
  it("persist across builds of one distro and arch, and GOCACHE is set", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-caches-");
    cpSync(join(ROOT, "test/fixtures/caches"), dir, { recursive: true });
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    for (const run of ["one", "two"]) {
      const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ run }), extendEnv: false, reject: false, all: true });
      expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    }
    const deb = (run: string) => join(dir, "out", "out", `pkg--cached--bookworm--amd64--${run}`, "cached_1.0-debian12u1_amd64.deb");
    expect(await packaged(deb("one"), "./usr/share/cached/runs.log")).toMatch(/run 1$/);
    // The second build appended to the log the first one left in the cache.
    expect(await packaged(deb("two"), "./usr/share/cached/runs.log")).toMatch(/run 1\n(run \d\n)*run 2$/);
    expect(await packaged(deb("two"), "./usr/share/cached/gocache.txt")).toBe("/tmp/dalec/gobuild-cache");
  });
});
