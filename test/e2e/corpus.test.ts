// Dalec's corpus of 20 real specs, unchanged, on bookworm amd64: every spec dalec-bake supports
// gens a tree the real `docker buildx bake --print` evaluates; every one that needs no network
// beyond Debian's archive builds, packages and passes its own tests (the test node installs the
// .deb with `apt-get install` into a clean distro container and runs them there), and its
// package has no lintian errors. The rest are listed below with the reason.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { CORPUS, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

/** Built, packaged and tested here. */
const BUILT = [
  "config-and-systemd", "env-multiple-commands", "hello.inline", "local-context", "patch-during-build", "platform-vars",
  "source-inline", "sourcemap-test-bad-builddep", "systemd-unit", "test-framework", "website-virtual-package-base",
];
/** Gen and bake --print only: their sources are on the internet, which these machines cannot reach. */
const PRINT_ONLY: Record<string, string> = {
  "kubernetes-patch": "git source and http patches on github.com",
  "moby-runc": "git source on github.com",
  "my-daemon.kitchensink": "http source on the internet",
};
/** Not supported yet: gen names the field and fails. */
const NOT_YET: Record<string, string> = {
  "cmd-src-ref": "sources.test.image",
  "go-md2man": "sources.src.generate",
  "moby-containerd": "sources.hcsshim.image",
  nested: "sources.src.build",
  "sourcemap-test-bad-sources": "sources.hello.generate",
};
/** Fails when its tests run, by design. */
const FAILS = "sourcemap-test-bad-test";

/** The build context local-context.yml expects (Dalec runs it from its repository's root). */
function contextDir(): string {
  const dir = tempDir("dalec-bake-corpus-ctx-");
  writeFileSync(join(dir, "go.mod"), "module example.com/fixture\n");
  writeFileSync(join(dir, "go.sum"), "");
  writeFileSync(join(dir, ".dockerignore"), "out\n");
  mkdirSync(join(dir, "cmd"));
  writeFileSync(join(dir, "cmd", "main.go"), "package main\n");
  return dir;
}

const spec = (name: string) => join(CORPUS, `${name}.yml`);
const env = cleanEnv();

describeEngine("Dalec's corpus on bookworm amd64", () => {
  it("accounts for all 20 specs", () => {
    const all = readdirSync(CORPUS).filter((f) => f.endsWith(".yml")).map((f) => f.slice(0, -4)).sort();
    expect([...BUILT, ...Object.keys(PRINT_ONLY), ...Object.keys(NOT_YET), FAILS].sort()).toEqual(all);
  });

  it("gens every supported spec into a tree bake --print evaluates, and names what is not supported yet", async () => {
    requireEngine();
    const ctx = contextDir();
    for (const name of [...BUILT, ...Object.keys(PRINT_ONLY), FAILS]) {
      const out = join(ctx, "out", name);
      const g = await runCli(["lint", spec(name)], ctx);
      expect(g.code, `${name}: ${g.stderr}`).toBe(0);
      const r = await runCli(["gen", spec(name), "--out", out], ctx);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const p = await execa("docker", ["buildx", "bake", "--print", "packages", "images", "tests"], { cwd: out, env, extendEnv: false, reject: false });
      expect(p.exitCode, `${name}: ${p.stderr}`).toBe(0);
      expect(Object.keys((JSON.parse(p.stdout) as { target: object }).target).length, name).toBeGreaterThan(0);
    }
    for (const [name, field] of Object.entries(NOT_YET)) {
      const r = await runCli(["gen", spec(name), "--out", join(ctx, "out", name)], ctx);
      expect(r.code).toBe(1);
      expect(r.stderr, name).toContain(`"${field}" is not supported yet by dalec-bake`);
    }
  });

  it("builds, packages and tests every spec that needs no internet; lintian finds no errors", { timeout: 1_800_000 }, async () => {
    requireEngine();
    const ctx = contextDir();
    const g = await runCli(["gen", ...BUILT.map(spec), "--out", "out"], ctx);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(ctx, "out", "bake.sh"), ["packages", "tests", "--progress=plain"], { env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-4000)).toBe(0);
    const debs = readdirSync(join(ctx, "out", "out"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".deb"));
    expect(debs).toHaveLength(BUILT.length);
    for (const deb of debs) {
      const l = await execa("lintian", ["--tag-display-limit", "0", join(ctx, "out", "out", deb)], { reject: false, all: true });
      const errors = (l.all ?? "").split("\n").filter((line) => /^E: /.test(line));
      expect(errors, deb).toEqual([]);
    }
  });

  it("fails the spec whose test is wrong, naming the spec line of the failing check", { timeout: 900_000 }, async () => {
    requireEngine();
    const ctx = contextDir();
    const g = await runCli(["gen", spec(FAILS), "--out", "out"], ctx);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(ctx, "out", "bake.sh"), ["tests", "--progress=plain"], { env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/sourcemap-test-bad-test\.yml:\d+:\d+/);
  });
});
