// Dalec's cross-field validation rules (its `Validate` and the checks its decoders make), run
// after the shape is known to be right. The first broken rule is reported with its location.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import { modulePathError } from "./go-modules.js";
import type { LoadedSpec } from "./load.js";
import type { RepoEnv } from "./model.js";
import { REPO_ENVS } from "./resolve-repos.js";
import type { CacheInput, CommandInput, MountInput, SourceShape, SpecInput } from "./schema.js";

const SOURCE_KINDS = ["inline", "context", "git", "http", "image", "build"] as const;
const NETWORK_MODES = ["none", "sandbox"];
const SHARING = ["shared", "locked", "private"];
const NO_CAPABILITIES = ["manpages", "data_dirs", "configFiles", "docs", "licenses", "headers"] as const;

type Fail = (msg: string, path: Path, key?: boolean) => never;

/** Whether a source is a directory (Dalec's IsDir): only http and inline files are files. */
export function sourceIsDir(s: SourceShape): boolean {
  if (s.http) return false;
  if (s.inline) return s.inline.dir != null;
  return true;
}

const isRoot = (p: string | undefined) => p == null || p === "" || p === "/" || p === ".";

export function checkSpecRules(spec: LoadedSpec): void {
  const fail: Fail = (msg, path, key = false) => {
    const loc = spec.map.locate(path, key);
    throw new UserError(msg, loc, spec.map.frame(loc));
  };
  const { input } = spec;
  for (const [name, src] of Object.entries(input.sources ?? {})) {
    if (name.includes("/")) fail(`source name "${name}" must not contain "/"`, ["sources", name], true);
    checkSource(src, ["sources", name], `source "${name}"`, fail);
  }
  checkPatches(input, fail);
  checkBuild(input.build, fail);
  checkArtifacts(input.artifacts, ["artifacts"], fail);
  checkImage(input.image, ["image"], fail);
  checkRepos(input.dependencies?.extra_repos, ["dependencies", "extra_repos"], fail);
  (input.tests ?? []).forEach((t, i) => (t.mounts ?? []).forEach((m, j) => checkMount(m, ["tests", i, "mounts", j], fail)));
  for (const [name, t] of Object.entries(input.targets ?? {})) {
    const at = ["targets", name];
    checkImage(t.image, [...at, "image"], fail);
    checkArtifacts(t.artifacts, [...at, "artifacts"], fail);
    checkRepos(t.dependencies?.extra_repos, [...at, "dependencies", "extra_repos"], fail);
    (t.tests ?? []).forEach((test, i) => (test.mounts ?? []).forEach((m, j) => checkMount(m, [...at, "tests", i, "mounts", j], fail)));
  }
}

function checkSource(src: SourceShape, at: Path, what: string, fail: Fail): void {
  const kinds = SOURCE_KINDS.filter((k) => src[k] != null);
  if (kinds.length !== 1) {
    const found = kinds.length ? kinds.join(" and ") : "none";
    fail(`${what} must have exactly one of ${SOURCE_KINDS.join(", ")}; found ${found}`, at, true);
  }
  (src.generate ?? []).forEach((g, i) => {
    const gAt = [...at, "generate", i];
    const kinds = (["gomod", "cargohome", "pip", "nodemod"] as const).filter((k) => g[k] != null);
    if (kinds.length !== 1) fail(`${what}: a generator must have exactly one of gomod, cargohome, pip, nodemod; found ${kinds.length ? kinds.join(" and ") : "none"}`, gAt, true);
    (g.gomod?.edits?.replace ?? []).forEach((r, j) => {
      const rAt = [...gAt, "gomod", "edits", "replace", j];
      if (typeof r === "string") {
        const parts = r.split(" => ");
        if (parts.length !== 2) fail(`gomod replace: expected "old => new", found "${r}"`, rAt);
        if (parts.some((p) => !p.trim())) fail(`gomod replace: both sides of "=>" must be non-empty, found "${r}"`, rAt);
      } else if (!r.old || !r.new) fail("gomod replace: old and new must be non-empty", rAt);
    });
    (g.gomod?.edits?.drop ?? []).forEach((d, j) => {
      const why = d.trim() ? modulePathError(d.trim()) : "empty";
      if (why) fail(`gomod drop "${d}": expected a Go module path, found ${d.trim() ? `a malformed one: ${why}` : "an empty string"}`, [...gAt, "gomod", "edits", "drop", j]);
    });
  });
  const filtered = src.path != null || src.includes != null || src.excludes != null;
  if (src.inline) {
    const { file, dir } = src.inline;
    if (file == null && dir == null) fail(`${what}: inline source must have a file or a dir`, [...at, "inline"]);
    if (file != null && dir != null) fail(`${what}: inline source cannot have both a file and a dir`, [...at, "inline"]);
    if (file && filtered) fail(`${what}: an inline file source cannot have path, includes or excludes`, at, true);
    for (const [f, c] of Object.entries(dir?.files ?? {})) {
      if (f.includes("/")) fail(`inline dir file name "${f}" must not contain "/"`, [...at, "inline", "dir", "files", f], true);
      checkIds(c, [...at, "inline", "dir", "files", f], fail);
    }
    if (file) checkIds(file, [...at, "inline", "file"], fail);
    if (dir) checkIds(dir, [...at, "inline", "dir"], fail);
  }
  if (src.http) {
    if (!src.http.url) fail(`${what}: an http source must have a url`, [...at, "http"]);
    if (filtered) fail(`${what}: an http source cannot have path, includes or excludes`, at, true);
    const d = src.http.digest;
    if (d != null && !/^sha(256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/.test(d)) {
      fail(`${what}: digest: expected "sha256:" and 64 lowercase hex digits (or sha384/sha512), found "${d}"`, [...at, "http", "digest"]);
    }
  }
  if (src.git) {
    if (!src.git.url) fail(`${what}: a git source must have a url`, [...at, "git", "url"]);
    if (!src.git.commit) fail(`${what}: a git source must have a commit`, [...at, "git"]);
  }
  if (src.image) {
    if (!src.image.ref) fail(`${what}: an image source must have a ref`, [...at, "image"]);
    if (isRoot(src.path)) fail(`${what}: an image source needs a path (the folder of the image to keep), not the whole root filesystem`, at, true);
    if (src.image.cmd) checkCommand(src.image.cmd, [...at, "image", "cmd"], src.path, fail);
  }
  if (src.build) {
    if (src.build.source.build) fail(`${what}: build sources cannot be recursive`, [...at, "build", "source", "build"], true);
    checkSource(src.build.source, [...at, "build", "source"], `${what}: build source`, fail);
  }
}

type Repos = NonNullable<NonNullable<SpecInput["dependencies"]>["extra_repos"]>;

function checkRepos(repos: Repos | undefined, at: Path, fail: Fail): void {
  (repos ?? []).forEach((r, i) => {
    const rAt = [...at, i];
    for (const key of ["config", "keys"] as const) {
      for (const [name, src] of Object.entries(r[key] ?? {})) {
        const what = `extra repo ${key === "keys" ? "key" : "config"} "${name}"`;
        // The name is a file name in the directory the package manager reads.
        if (!name || name.includes("/") || name === "." || name === "..") fail(`${what}: the name must be a file name, without "/"`, [...rAt, key, name], true);
        checkSource(src, [...rAt, key, name], what, fail);
      }
    }
    (r.data ?? []).forEach((m, j) => checkMount(m, [...rAt, "data", j], fail));
    (r.envs ?? []).forEach((e, j) => {
      if (!REPO_ENVS.includes(e as RepoEnv)) fail(`extra repo envs: expected one of ${REPO_ENVS.join(", ")}, found "${e}"`, [...rAt, "envs", j]);
    });
  });
}

function checkIds(x: { uid?: number; gid?: number }, at: Path, fail: Fail): void {
  if (x.uid !== undefined && x.uid < 0) fail(`uid ${x.uid} must be non-negative`, [...at, "uid"]);
  if (x.gid !== undefined && x.gid < 0) fail(`gid ${x.gid} must be non-negative`, [...at, "gid"]);
}

function checkCommand(cmd: CommandInput, at: Path, root: string | undefined, fail: Fail): void {
  if (!cmd.steps.length) fail("a command must have at least one step", [...at, "steps"]);
  const seen = new Set<string>();
  (cmd.mounts ?? []).forEach((m, i) => {
    const mAt = [...at, "mounts", i];
    if (seen.has(m.dest)) fail(`mount dest "${m.dest}": duplicate mount destination`, [...mAt, "dest"]);
    seen.add(m.dest);
    checkMount(m, mAt, fail);
    const r = root?.replace(/\/+$/, "");
    if (!isRoot(root) && r && (m.dest === r || m.dest.startsWith(`${r}/`))) {
      fail(`mount dest "${m.dest}" must not be inside the source's path "${root}" (that mount would hide it)`, [...mAt, "dest"]);
    }
  });
  cmd.steps.forEach((s, i) => (s.mounts ?? []).forEach((m, j) => checkMount(m, [...at, "steps", i, "mounts", j], fail)));
}

function checkMount(m: MountInput, at: Path, fail: Fail): void {
  if (m.dest === "/") fail('mount destination must not be "/"', [...at, "dest"]);
  checkSource(m.spec, [...at, "spec"], `mount "${m.dest}"`, fail);
}

function checkPatches(input: SpecInput, fail: Fail): void {
  for (const [target, patches] of Object.entries(input.patches ?? {})) {
    if (!input.sources?.[target]) fail(`patches: "${target}" is not a source of this spec`, ["patches", target], true);
    patches.forEach((p, i) => {
      const at = ["patches", target, i];
      const src = input.sources?.[p.source];
      if (!src) fail(`patch for source "${target}": patch source "${p.source}" is missing from sources`, [...at, "source"]);
      if (p.strip !== undefined && p.strip < 0) fail(`patch for source "${target}": strip must be 0 or more, found ${p.strip}`, [...at, "strip"]);
      if (sourceIsDir(src)) {
        if (isRoot(p.path)) fail(`patch for source "${target}": patch source "${p.source}" is a directory, so the patch needs a path to the patch file in it`, at, true);
      } else if (!isRoot(p.path)) {
        fail(`patch for source "${target}": patch source "${p.source}" is a file, so the patch cannot have a path`, [...at, "path"]);
      }
    });
  }
}

function checkBuild(build: SpecInput["build"], fail: Fail): void {
  if (!build) return;
  if (!build.steps?.length && (Object.keys(build.env ?? {}).length || build.caches?.length || build.network_mode)) {
    fail("build.env, build.caches or build.network_mode need at least one build step", ["build"], true);
  }
  if (build.network_mode && !NETWORK_MODES.includes(build.network_mode)) {
    fail(`build.network_mode: expected one of ${NETWORK_MODES.join(", ")}, found "${build.network_mode}"`, ["build", "network_mode"]);
  }
  let goCaches = 0;
  (build.caches ?? []).forEach((c, i) => checkCache(c, ["build", "caches", i], () => ++goCaches, fail));
  (build.steps ?? []).forEach((s, i) => (s.mounts ?? []).forEach((m, j) => checkMount(m, ["build", "steps", i, "mounts", j], fail)));
}

function checkCache(c: CacheInput, at: Path, countGo: () => number, fail: Fail): void {
  const kinds = (["dir", "gobuild", "rustsccache", "bazel"] as const).filter((k) => c[k] != null);
  if (kinds.length !== 1) fail(`a cache must have exactly one of dir, gobuild, rustsccache, bazel; found ${kinds.length ? kinds.join(" and ") : "none"}`, at, true);
  if (c.gobuild && countGo() > 1) fail("only one gobuild cache is allowed", at, true);
  if (c.dir) {
    const d = c.dir;
    if (!d.dest) fail("cache dir: dest is required", [...at, "dir"]);
    if (!d.dest.startsWith("/")) fail(`cache dir: dest must be an absolute path, found "${d.dest}"`, [...at, "dir", "dest"]);
    if (d.sharing && !SHARING.includes(d.sharing)) fail(`cache dir: sharing must be one of ${SHARING.join(", ")}, found "${d.sharing}"`, [...at, "dir", "sharing"]);
  }
}

function checkArtifacts(a: SpecInput["artifacts"], at: Path, fail: Fail): void {
  if (!a) return;
  for (const kind of NO_CAPABILITIES) {
    for (const [path, cfg] of Object.entries(a[kind] ?? {})) {
      if (cfg.linux_capabilities?.length) {
        fail(`capabilities can only be set on executable files (binaries, libs, libexec, opt); cannot set them on ${kind} "${path}"`, [...at, kind, path, "linux_capabilities"]);
      }
    }
  }
  for (const [path, u] of Object.entries(a.systemd?.units ?? {})) {
    const unit = u.name || path.split("/").pop()!;
    if (!/\.(service|socket|timer|path|mount|automount|target|slice|scope|device|swap)$/.test(unit)) {
      fail(`systemd unit "${path}": the unit file name must end in a unit type such as .service or .socket, found "${unit}"`, [...at, "systemd", "units", path], true);
    }
  }
  (a.links ?? []).forEach((l, i) => {
    if (!l.source || !l.dest) fail("a link needs both source and dest", [...at, "links", i]);
  });
  const seen = new Set<string>();
  (a.users ?? []).forEach((u, i) => {
    if (!/^[a-z_][a-z0-9_-]*\$?$/.test(u.name)) fail(`user name "${u.name}" is not a valid system user name`, [...at, "users", i, "name"]);
    if (seen.has(u.name)) fail(`user "${u.name}" is listed twice`, [...at, "users", i, "name"]);
    seen.add(u.name);
  });
  (a.groups ?? []).forEach((g, i) => {
    if (!/^[a-z_][a-z0-9_-]*\$?$/.test(g.name)) fail(`group name "${g.name}" is not a valid system group name`, [...at, "groups", i, "name"]);
  });
}

function checkImage(img: SpecInput["image"], at: Path, fail: Fail): void {
  if (!img) return;
  if (img.base && img.bases?.length) fail("cannot specify both image.base and image.bases", [...at, "bases"], true);
  if ((img.bases?.length ?? 0) > 1) fail("multiple image bases, expected only one", [...at, "bases", 1], true);
  (img.bases ?? []).forEach((b, i) => {
    if (!b.rootfs.image) fail("image bases: rootfs currently only supports image sources", [...at, "bases", i, "rootfs"], true);
    else if (b.rootfs.image.cmd) checkCommand(b.rootfs.image.cmd, [...at, "bases", i, "rootfs", "image", "cmd"], "/", fail);
  });
  const seen = new Map<string, string>();
  for (const [oldpath, t] of Object.entries(img.post?.symlinks ?? {})) {
    const sAt = [...at, "post", "symlinks", oldpath];
    if (!oldpath) fail("symlink source is empty", sAt, true);
    if ((t.path && t.paths?.length) || (!t.path && !t.paths?.length)) {
      fail(`symlink to "${oldpath}": 'path' and 'paths' are mutually exclusive, and one of them is required`, sAt, true);
    }
    for (const p of t.path ? [t.path] : (t.paths ?? [])) {
      if (!p) fail("symlink newpath should not be empty", sAt, true);
      const other = seen.get(p);
      if (other !== undefined) fail(`symlink newpaths must be unique: "${p}" points to both "${oldpath}" and "${other}"`, sAt, true);
      seen.set(p, oldpath);
    }
  }
}
