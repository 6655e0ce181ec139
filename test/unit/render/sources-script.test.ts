// sources.sh and lib/sources.sh run by real bash with the real curl, git and patch: every source
// kind is laid out as Dalec lays it out, patches apply in order, digests are checked, and the
// context's .dockerignore is honoured.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSources } from "../../../src/render/sources-script.js";
import { sq } from "../../../src/render/shell.js";
import { patternRules } from "../../../src/spec/patterns.js";
import type { Patch, ResolvedSource } from "../../../src/spec/model.js";
import { ROOT, listFiles, tempDir } from "../../helpers/cli.js";

const PATCH = `--- a/hello.txt
+++ b/hello.txt
@@ -1 +1 @@
-hello
+hello, patched
`;

async function layOut(sources: ResolvedSource[], patches: Patch[], context: string, dockerignore: string[] = [], contextRoot = ".", extraEnv: Record<string, string> = {}) {
  const gen = tempDir("dalec-bake-gen-");
  for (const [path, text] of renderSources("spec.yml", sources, patches, [], contextRoot, dockerignore)) {
    mkdirSync(join(gen, path, ".."), { recursive: true });
    writeFileSync(join(gen, path), text);
  }
  const out = join(tempDir("dalec-bake-src-"), "src");
  const env = { DALEC_GEN: join(gen, "sources"), DALEC_CONTEXT: join(context, contextRoot), DALEC_LIB: join(ROOT, "dockerfiles/lib"), ...extraEnv };
  const r = await execa("bash", [join(gen, "sources", "sources.sh"), out], { env, reject: false, all: true });
  return { out, code: r.exitCode, log: r.all ?? "" };
}

function context(): string {
  const dir = tempDir("dalec-bake-ctx-");
  mkdirSync(join(dir, "app", "cmd"), { recursive: true });
  mkdirSync(join(dir, "app", "secret"), { recursive: true });
  writeFileSync(join(dir, "app", "hello.txt"), "hello\n");
  writeFileSync(join(dir, "app", "go.mod"), "module x\n");
  writeFileSync(join(dir, "app", "cmd", "main.go"), "package main\n");
  writeFileSync(join(dir, "app", "secret", "key"), "k\n");
  writeFileSync(join(dir, "app", "secret", "public"), "p\n");
  writeFileSync(join(dir, "app", "debug.log"), "log\n");
  return dir;
}

const ctxSource = (name: string, path = "app", includes: string[] = [], excludes: string[] = []): ResolvedSource =>
  ({ name, kind: "context", path, includes, excludes });

describe("sources.sh", () => {
  let url = "";
  const server = createServer((req, res) => {
    if (req.url === "/fix.patch") res.end(PATCH);
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it("lays out a context source, honouring .dockerignore with its exceptions", async () => {
    const ctx = context();
    const r = await layOut([ctxSource("src")], [], ctx, ["# comment", "app/secret", "!app/secret/public", "*.log", "**/*.log"]);
    expect(r.code, r.log).toBe(0);
    expect(listFiles(r.out)).toEqual(["src/cmd/main.go", "src/go.mod", "src/hello.txt", "src/secret/public"]);
  });

  it("filters with exceptions as BuildKit does, every folder keeping its mode", async () => {
    const ctx = context();
    mkdirSync(join(ctx, "app", "docs", "man"), { recursive: true });
    writeFileSync(join(ctx, "app", "docs", "index.md"), "i\n");
    writeFileSync(join(ctx, "app", "docs", "man", "a.1"), "m\n");
    await execa("chmod", ["0750", join(ctx, "app", "docs")]);
    await execa("chmod", ["0700", join(ctx, "app", "docs", "man")]);
    const r = await layOut([ctxSource("ex", "app", [], ["docs", "!docs/man", "*.log", "secret", "!secret/public"]), ctxSource("in", "app", ["docs/man/*"])], [], ctx);
    expect(r.code, r.log).toBe(0);
    expect(listFiles(join(r.out, "ex"))).toEqual(["cmd/main.go", "docs/man/a.1", "go.mod", "hello.txt", "secret/public"]);
    expect(listFiles(join(r.out, "in"))).toEqual(["docs/man/a.1"]);
    // `docs` holds what was kept: made for it, with the source's mode, not the umask's
    for (const src of ["ex", "in"]) {
      expect((statSync(join(r.out, src, "docs")).mode & 0o7777).toString(8)).toBe("750");
      expect((statSync(join(r.out, src, "docs", "man")).mode & 0o7777).toString(8)).toBe("700");
    }
  });

  it("puts a context path naming a file inside the source's folder, as Dalec does", async () => {
    const r = await layOut([ctxSource("mod", "app/go.mod")], [], context());
    expect(r.code, r.log).toBe(0);
    expect(listFiles(r.out)).toEqual(["mod/go.mod"]);
  });

  it("downloads an http source, checks its digest and applies it as a patch", async () => {
    const digest = `sha256:${createHash("sha256").update(PATCH).digest("hex")}`;
    const sources: ResolvedSource[] = [ctxSource("src"), { name: "fix", kind: "http", url: `${url}/fix.patch`, digest, mode: 0o600 }];
    const r = await layOut(sources, [{ target: "src", file: "fix", strip: 1, where: "spec.yml: patches.src[0]" }], context());
    expect(r.code, r.log).toBe(0);
    expect(readFileSync(join(r.out, "src", "hello.txt"), "utf8")).toBe("hello, patched\n");
    expect(readFileSync(join(r.out, "fix"), "utf8")).toBe(PATCH);
  });

  it("fails on a digest that does not match, naming both digests", async () => {
    const wrong = `sha256:${"0".repeat(64)}`;
    const r = await layOut([{ name: "fix", kind: "http", url: `${url}/fix.patch`, digest: wrong, mode: 0o644 }], [], context());
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(new RegExp(`spec.yml: sources.fix: .*/fix.patch has digest sha256:[0-9a-f]{64}, the spec expects ${wrong}`));
  });

  it("fails on a patch that does not apply, naming the patch and the source", async () => {
    const sources: ResolvedSource[] = [ctxSource("src", "app/cmd"), { name: "fix", kind: "http", url: `${url}/fix.patch`, digest: undefined, mode: 0o644 }];
    const r = await layOut(sources, [{ target: "src", file: "fix", strip: 1, where: "spec.yml: patches.src[0]" }], context());
    expect(r.code).not.toBe(0);
    expect(r.log).toContain('dalec-bake: spec.yml: patches.src[0]: patch "fix" does not apply to source "src" (strip 1)');
  });

  it("checks out a git source at a tag, without .git unless asked, filtered by path and includes", async () => {
    const repo = tempDir("dalec-bake-repo-");
    const git = (...args: string[]) => execa("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args]);
    await execa("git", ["init", "-q", repo]);
    mkdirSync(join(repo, "pkg"));
    writeFileSync(join(repo, "pkg", "a.go"), "v1\n");
    writeFileSync(join(repo, "pkg", "b.txt"), "v1\n");
    await git("add", "-A");
    await git("commit", "-qm", "one");
    await git("tag", "v1");
    writeFileSync(join(repo, "pkg", "a.go"), "v2\n");
    await git("commit", "-qam", "two");
    const src = (keepGitDir: boolean, path: string, includes: string[] = []): ResolvedSource =>
      ({ name: "src", kind: "git", url: `file://${repo}`, commit: "v1", checksum: undefined, auth: undefined, keepGitDir, path, includes, excludes: [] });
    const r = await layOut([src(false, "pkg", ["*.go"])], [], context());
    expect(r.code, r.log).toBe(0);
    expect(listFiles(r.out)).toEqual(["src/a.go"]);
    expect(readFileSync(join(r.out, "src", "a.go"), "utf8")).toBe("v1\n");
    const kept = await layOut([src(true, ".")], [], context());
    expect(kept.code, kept.log).toBe(0);
    expect(readdirSync(join(kept.out, "src"))).toContain(".git");
    // a kept .git is a repository (its empty refs folders are there) that knows the tag
    const described = await execa("git", ["-C", join(kept.out, "src"), "describe", "--tags"], { reject: false, all: true });
    expect(described.stdout, described.all).toBe("v1");
  });

  it("keeps folders, empty ones and their modes, and checks out submodules", async () => {
    const sub = tempDir("dalec-bake-sub-");
    const repo = tempDir("dalec-bake-super-");
    const git = (dir: string, ...args: string[]) => execa("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "protocol.file.allow=always", ...args]);
    await execa("git", ["init", "-q", sub]);
    writeFileSync(join(sub, "lib.txt"), "from the submodule\n");
    await git(sub, "add", "-A");
    await git(sub, "commit", "-qm", "sub");
    await execa("git", ["init", "-q", repo]);
    writeFileSync(join(repo, "top.txt"), "top\n");
    await git(repo, "submodule", "-q", "add", `file://${sub}`, "third_party/sub");
    await git(repo, "add", "-A");
    await git(repo, "commit", "-qm", "super");
    const commit = (await git(repo, "rev-parse", "HEAD")).stdout;
    const ctx = context();
    mkdirSync(join(ctx, "app", "empty"));
    mkdirSync(join(ctx, "app", "locked"), { mode: 0o700 });
    writeFileSync(join(ctx, "app", "locked", "f"), "f\n");
    // GIT_CONFIG_* lets the submodule's file:// URL be fetched, as a real host's would
    const env = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "protocol.file.allow", GIT_CONFIG_VALUE_0: "always" };
    const r = await layOut([ctxSource("ctx"), { name: "super", kind: "git", url: `file://${repo}`, commit, checksum: undefined, auth: undefined, keepGitDir: false, path: ".", includes: [], excludes: [] }], [], ctx, [], ".", env);
    expect(r.code, r.log).toBe(0);
    expect(readdirSync(join(r.out, "ctx", "empty"))).toEqual([]);
    expect(statSync(join(r.out, "ctx", "locked")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(r.out, "super", "third_party", "sub", "lib.txt"), "utf8")).toBe("from the submodule\n");
  });

  describe("generator helpers (lib/sources.sh, called as sources.sh calls them)", () => {
    const helper = async (out: string, call: string) =>
      execa("bash", ["-c", `. "$LIB/sources.sh"; ${call}`], { env: { LIB: join(ROOT, "dockerfiles/lib"), OUT: out }, reject: false, all: true });

    it("names the spec file and field when a gomod generator has no go.mod or no folder", async () => {
      const out = tempDir("dalec-bake-gen-out-");
      mkdirSync(join(out, "hello", "sub"), { recursive: true });
      const none = await helper(out, "dalec_gomod 'spec.yml: sources.hello.generate[0].gomod' hello . sub");
      expect(none.exitCode).toBe(1);
      expect(none.all).toBe('dalec-bake: spec.yml: sources.hello.generate[0].gomod: no go.mod in source "hello" at "sub"');
      const missing = await helper(out, "dalec_cargohome 'spec.yml: sources.hello.generate[1].cargohome' hello lib .");
      expect(missing.exitCode).toBe(1);
      expect(missing.all).toBe('dalec-bake: spec.yml: sources.hello.generate[1].cargohome: "lib" is not a directory of source "hello"');
    });

    it("puts node_modules in the source with a real npm install", { timeout: 120_000 }, async () => {
      const out = tempDir("dalec-bake-gen-out-");
      mkdirSync(join(out, "app"));
      writeFileSync(join(out, "app", "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, dependencies: { "is-number": "7.0.0" } }));
      const r = await helper(out, "dalec_nodemod 'spec.yml: sources.app.generate[0].nodemod' app . .");
      expect(r.exitCode, r.all).toBe(0);
      expect(JSON.parse(readFileSync(join(out, "app", "node_modules", "is-number", "package.json"), "utf8")).version).toBe("7.0.0");
      // a lock file npm wrote where there was none stays, as in Dalec
      expect(existsSync(join(out, "app", "package-lock.json"))).toBe(true);
    });

    it("puts back a lock file npm rewrote, as Dalec merges the source over what npm made", { timeout: 120_000 }, async () => {
      const out = tempDir("dalec-bake-gen-out-");
      mkdirSync(join(out, "app"));
      // a lock file made for no dependencies, then a dependency added: npm install rewrites it
      writeFileSync(join(out, "app", "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
      await execa("npm", ["install", "--package-lock-only", "--prefix", join(out, "app")]);
      const lock = readFileSync(join(out, "app", "package-lock.json"), "utf8");
      writeFileSync(join(out, "app", "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, dependencies: { "is-number": "7.0.0" } }));
      const r = await helper(out, "dalec_nodemod 'spec.yml: sources.app.generate[0].nodemod' app . .");
      expect(r.exitCode, r.all).toBe(0);
      expect(existsSync(join(out, "app", "node_modules", "is-number", "package.json"))).toBe(true);
      expect(readFileSync(join(out, "app", "package-lock.json"), "utf8")).toBe(lock);
    });

    it("filters what a generator made with the source filter's excludes, folders and modes kept", async () => {
      const out = tempDir("dalec-bake-gen-out-");
      for (const d of ["__gomods/cache/x", "__gomods/drop/y"]) mkdirSync(join(out, d), { recursive: true });
      for (const f of ["cache/x/a.secret", "cache/x/mod.zip", "drop/y/z", "top.secret"]) writeFileSync(join(out, "__gomods", f), f);
      await execa("chmod", ["0700", join(out, "__gomods", "cache", "x")]);
      const r = await helper(out, `dalec_refilter __gomods ${sq(patternRules(["**/*.secret", "drop"]))} && dalec_refilter __none '+^x$'`);
      expect(r.exitCode, r.all).toBe(0);
      expect(listFiles(join(out, "__gomods")).sort()).toEqual(["cache/x/mod.zip"]);
      expect(statSync(join(out, "__gomods", "cache", "x")).mode & 0o777).toBe(0o700);
      expect(existsSync(join(out, "__none"))).toBe(false);
    });
  });
});
