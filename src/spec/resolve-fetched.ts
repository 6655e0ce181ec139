// Image and build sources, resolved: what the spec's fetch node (render/fetch-dockerfile.ts)
// runs or builds. Args are substituted where Dalec substitutes them (ref, env, paths).
import { posix } from "node:path";
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { ArgScope } from "./args.js";
import { substitute, substituteMap } from "./args.js";
import type { LoadedSpec } from "./load.js";
import type { BuildFrom, ResolvedCommand, ResolvedSource, StepMount } from "./model.js";
// A command mounts any source, and a source may be an image with a command: the two modules call each other.
import { gitAuth, inlineDir, patternList, resolveMounts } from "./resolve-source.js";
import type { CommandInput, SourceInput } from "./schema.js";

export function fetchedSource(spec: LoadedSpec, scope: ArgScope, name: string, s: SourceInput, at: Path, contexts: readonly string[]): ResolvedSource | undefined {
  const list = (v: string[] | undefined, key: string) => patternList(spec, scope, v, [...at, key]);
  const filters = {
    path: s.path ? substitute(s.path, scope, [...at, "path"]) : "/",
    includes: list(s.includes, "includes"),
    excludes: list(s.excludes, "excludes"),
  };
  if (s.image) {
    const cmd = s.image.cmd ? resolveCommand(spec, scope, s.image.cmd, [...at, "image", "cmd"], contexts) : undefined;
    return { name, kind: "image", ref: substitute(s.image.ref, scope, [...at, "image", "ref"]), ...filters, cmd };
  }
  if (s.build) {
    const bAt = [...at, "build"];
    const dockerfile = dockerfilePath(spec, s.build.dockerfile_path ? substitute(s.build.dockerfile_path, scope, [...bAt, "dockerfile_path"]) : "Dockerfile", [...bAt, "dockerfile_path"]);
    return {
      name,
      kind: "build",
      ...filters,
      path: s.path ? filters.path : ".",
      from: buildFrom(spec, scope, s.build.source, [...bAt, "source"], contexts, dockerfile),
      dockerfile,
      target: s.build.target ? substitute(s.build.target, scope, [...bAt, "target"]) : undefined,
      args: Object.entries(substituteMap(s.build.args, scope, [...bAt, "args"])),
    };
  }
  return undefined;
}

/**
 * A build's Dockerfile path, inside its context: it names a file gen writes (an inline
 * Dockerfile) and the file bake reads, so it may not leave the context.
 */
function dockerfilePath(spec: LoadedSpec, given: string, at: Path): string {
  const path = posix.normalize(given).replace(/^\/+/, "");
  if (path === ".." || path.startsWith("../") || path === "." || path === "") {
    const loc = spec.map.locate(at);
    throw new UserError(`dockerfile_path: expected a file inside the build's context, found "${given}"`, loc, spec.map.frame(loc));
  }
  return path;
}

function notYet(spec: LoadedSpec, path: Path, what: string): never {
  const loc = spec.map.locate(path, true);
  throw new UserError(`${what} is not supported yet by dalec-bake`, loc, spec.map.frame(loc));
}

/** The build context ("context") or a named one (which the matrix file must give), for `context: {name}`. */
export function contextOf(spec: LoadedSpec, scope: ArgScope, src: SourceInput, at: Path, contexts: readonly string[]): string {
  const name = src.context?.name ? substitute(src.context.name, scope, [...at, "context", "name"]) : "context";
  if (name !== "context" && !contexts.includes(name)) {
    const loc = spec.map.locate([...at, "context", "name"]);
    const known = contexts.length ? `the matrix file gives ${contexts.map((c) => `"${c}"`).join(", ")}` : "none is given";
    throw new UserError(`named build context "${name}" is not defined: name its folder in the matrix file's \`contexts:\` (${known})`, loc, spec.map.frame(loc));
  }
  return name;
}

/**
 * A build source's context, which bake hands to the Dockerfile frontend itself: a folder, a git
 * URL (a subfolder of it: `url#commit:path`) or an http URL. `dockerfile`: the Dockerfile's path
 * in it, which is what Dalec names a file source (an inline file, an http file).
 */
function buildFrom(spec: LoadedSpec, scope: ArgScope, src: SourceInput, at: Path, contexts: readonly string[], dockerfile: string): BuildFrom {
  const path = src.path ? substitute(src.path, scope, [...at, "path"]) : ".";
  const list = (key: "includes" | "excludes") => patternList(spec, scope, src[key], [...at, key]);
  // An inline folder is written here, with the files its filters keep, as Dalec filters them.
  // Its `path` names one of its files, which is then all the context holds, as for any source.
  if (src.inline?.dir) {
    const dir = inlineDir(spec, "context", src.inline.dir, path, list("includes"), list("excludes"), at);
    return { kind: "inline", files: dir.kind === "inline-dir" ? dir.files.map((f) => ({ name: f.name, contents: f.contents })) : [] };
  }
  // Any other context is filtered by a prefetch node (bake filters no build context).
  const filter = list("includes").length + list("excludes").length ? { filter: { includes: list("includes"), excludes: list("excludes") } } : {};
  if (src.context) {
    const name = contextOf(spec, scope, src, at, contexts);
    return name === "context" ? { kind: "context", path, ...filter } : { kind: "named", context: name, path, ...filter };
  }
  if (src.git) {
    const given = gitAuth(src.git.auth);
    const auth = given && { kind: given.kind, secret: given.secret, where: spec.map.locate([...at, "git", "auth"]) };
    const url = substitute(src.git.url, scope, [...at, "git", "url"]);
    // BuildKit reads a token or header secret by the URL's host: an http(s) URL.
    if (auth && auth.kind !== "ssh" && !/^https?:\/\//.test(url)) notYet(spec, [...at, "git", "url"], "token or header auth on a build source's git source not reached over http(s)");
    // BuildKit reads an http(s) URL as git only when its path ends in .git, else as a file.
    if (/^https?:\/\//.test(url) && !/\.git\/?$/.test(url.replace(/[?#].*$/, ""))) {
      const loc = spec.map.locate([...at, "git", "url"]);
      throw new UserError(`a build source's git URL over http(s): expected a path ending in .git (bake hands it to BuildKit, which reads any other http URL as a file), found "${url}"`, loc, spec.map.frame(loc));
    }
    const commit = substitute(src.git.commit ?? "", scope, [...at, "git", "commit"]);
    return { kind: "git", url, commit, path: posix.normalize(path).replace(/^\/+|\/+$/g, "") || ".", keepGitDir: src.git.keepGitDir ?? false, auth, ...filter };
  }
  if (src.http) return { kind: "http", url: substitute(src.http.url, scope, [...at, "http", "url"]), digest: src.http.digest };
  if (src.inline?.file) return { kind: "inline", files: [{ name: dockerfile, contents: src.inline.file.contents ?? "" }] };
  if (src.image) {
    const cmd = src.image.cmd ? resolveCommand(spec, scope, src.image.cmd, [...at, "image", "cmd"], contexts) : undefined;
    // Its prefetch node runs the command before any nested build: a build it mounts would be one.
    if (cmd) for (const m of allMounts(cmd)) if (m.source.kind === "build") notYet(spec, m.at, "a build source mounted by a build source's image command");
    return { kind: "image", ref: substitute(src.image.ref, scope, [...at, "image", "ref"]), path: src.path ? path : "/", ...filter, ...(cmd ? { cmd } : {}) };
  }
  // Dalec's rules refuse a build in a build; no other kind is left.
  return notYet(spec, at, "this build source's own source");
}

/** A command's mounts, and those of the commands of the images it mounts. */
function allMounts(cmd: ResolvedCommand): StepMount[] {
  const own = [...cmd.mounts, ...cmd.steps.flatMap((st) => st.mounts)];
  return own.flatMap((m) => [m, ...(m.source.kind === "image" && m.source.cmd ? allMounts(m.source.cmd) : [])]);
}

/** An image's `cmd`: dir, env and step env substituted by `scope`, mounts resolved as sources. */
export function resolveCommand(spec: LoadedSpec, scope: ArgScope, cmd: CommandInput, at: Path, contexts: readonly string[]): ResolvedCommand {
  return {
    dir: cmd.dir ? substitute(cmd.dir, scope, [...at, "dir"]) : undefined,
    env: Object.entries(substituteMap(cmd.env, scope, [...at, "env"])).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    mounts: resolveMounts(spec, scope, cmd.mounts, [...at, "mounts"], contexts),
    steps: cmd.steps.map((st, i) => ({
      command: st.command,
      env: Object.entries(substituteMap(st.env, scope, [...at, "steps", i, "env"])).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      mounts: resolveMounts(spec, scope, st.mounts, [...at, "steps", i, "mounts"], contexts),
    })),
  };
}
