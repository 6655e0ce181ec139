// One Dalec source, resolved: a spec's own sources and the sources that build steps and tests
// mount. Args are substituted where Dalec substitutes them.
import { posix } from "node:path";
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { ArgScope } from "./args.js";
import { substitute } from "./args.js";
import type { LoadedSpec } from "./load.js";
import type { ResolvedSource, StepMount } from "./model.js";
import { passesFilters, patternProblem } from "./patterns.js";
import { contextOf, fetchedSource } from "./resolve-fetched.js";
import type { MountInput, SourceInput } from "./schema.js";

type InlineDirInput = NonNullable<NonNullable<SourceInput["inline"]>["dir"]>;

/**
 * A source's `includes` or `excludes` at `at`, substituted; a pattern BuildKit's matcher would
 * refuse (it builds nothing then) is refused here, where it is written.
 */
export function patternList(spec: LoadedSpec, scope: ArgScope, v: string[] | undefined, at: Path): string[] {
  return (v ?? []).map((p, i) => {
    const out = substitute(p, scope, [...at, i]);
    const problem = patternProblem(out);
    if (problem) {
      const loc = spec.map.locate([...at, i]);
      throw new UserError(`${String(at.at(-1))}: expected ${problem}, found ${JSON.stringify(out)}`, loc, spec.map.frame(loc));
    }
    return out;
  });
}

/** `contexts`: the named build contexts the matrix file gives (`contexts:`), by name. */
export function resolveSource(spec: LoadedSpec, scope: ArgScope, name: string, s: SourceInput, at: Path, contexts: readonly string[]): ResolvedSource {
  const list = (v: string[] | undefined, key: string) => patternList(spec, scope, v, [...at, key]);
  const path = (dflt: string) => (s.path ? substitute(s.path, scope, [...at, "path"]) : dflt);
  if (s.http) {
    return {
      name,
      kind: "http",
      url: substitute(s.http.url, scope, [...at, "http", "url"]),
      digest: s.http.digest,
      // BuildKit's http source makes the file 0600 when Dalec gives no permissions.
      mode: s.http.permissions ?? 0o600,
    };
  }
  if (s.git) {
    return {
      name,
      kind: "git",
      url: substitute(s.git.url, scope, [...at, "git", "url"]),
      commit: substitute(s.git.commit ?? "", scope, [...at, "git", "commit"]),
      checksum: s.git.checksum ? substitute(s.git.checksum, scope, [...at, "git", "checksum"]) : undefined,
      auth: gitAuth(s.git.auth),
      keepGitDir: s.git.keepGitDir ?? false,
      path: path("."),
      includes: list(s.includes, "includes"),
      excludes: list(s.excludes, "excludes"),
    };
  }
  const fetched = fetchedSource(spec, scope, name, s, at, contexts);
  if (fetched) return fetched;
  if (s.inline?.file) {
    const f = s.inline.file;
    return { name, kind: "inline-file", contents: f.contents ?? "", mode: f.permissions ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0 };
  }
  if (s.inline?.dir) return inlineDir(spec, name, s.inline.dir, path("."), list(s.includes, "includes"), list(s.excludes, "excludes"), at);
  const filters = { path: path("."), includes: list(s.includes, "includes"), excludes: list(s.excludes, "excludes") };
  const ctxName = contextOf(spec, scope, s, at, contexts);
  if (ctxName === "context") return { name, kind: "context", ...filters };
  // A named context is read by the spec's fetch node, which the bake file hands the folder.
  return { name, kind: "named", context: ctxName, ...filters };
}

/**
 * An inline folder with only the files its `path` and `includes`/`excludes` keep, as Dalec makes
 * it: `path` names one of its files (the folder then holds only that file). Mounted (`name` ""),
 * a folder with a `path` is that file.
 */
export function inlineDir(spec: LoadedSpec, name: string, d: InlineDirInput, path: string, includes: string[], excludes: string[], at: Path): ResolvedSource {
  const all = Object.entries(d.files ?? {}).map(([f, c]) => ({ name: f, contents: c.contents ?? "", mode: c.permissions ?? 0o644, uid: c.uid ?? 0, gid: c.gid ?? 0 }));
  const picked = posix.normalize(`/${path}`).slice(1);
  const file = all.find((f) => f.name === picked);
  if (picked && !file) {
    const loc = spec.map.locate([...at, "path"]);
    const names = all.map((f) => `"${f.name}"`).join(", ");
    const expected = names ? `expected one of its files: ${names}` : "it has no files";
    throw new UserError(`path "${path}" names no file of this inline folder (${expected})`, loc, spec.map.frame(loc));
  }
  if (file && !name) return { ...file, name, kind: "inline-file" };
  const files = (file ? [file] : all).filter((f) => passesFilters(f.name, includes, excludes));
  return { name, kind: "inline-dir", mode: d.permissions ?? 0o755, uid: d.uid ?? 0, gid: d.gid ?? 0, files };
}

/**
 * The sources a build step or a test mounts, each at its destination. Dalec mounts a file
 * source (inline file, http) as the file itself, any other source as its folder.
 */
export function resolveMounts(spec: LoadedSpec, scope: ArgScope, mounts: readonly MountInput[] | undefined, at: Path, contexts: readonly string[]): StepMount[] {
  return (mounts ?? []).map((m, i) => mount(spec, scope, m, [...at, i], contexts));
}

function mount(spec: LoadedSpec, scope: ArgScope, m: MountInput, at: Path, contexts: readonly string[]): StepMount {
  return {
    dest: m.dest,
    source: resolveSource(spec, scope, "", m.spec, [...at, "spec"], contexts),
    at: [...at, "spec"],
    where: spec.map.locate([...at, "dest"]),
  };
}

/** A git source's auth (the first of token, header, ssh it names), also what its gomod generators get. */
export function gitAuth(a: { token?: string; header?: string; ssh?: string } | undefined): Extract<ResolvedSource, { kind: "git" }>["auth"] {
  if (a?.token) return { kind: "token", secret: a.token };
  if (a?.header) return { kind: "header", secret: a.header };
  if (a?.ssh) return { kind: "ssh", secret: a.ssh };
  return undefined;
}
