// What a spec resolves to for one leaf of the matrix (spec x distro x arch x variant): every
// arg substituted, per-distro targets merged, command lines split. Renderers read only this.
import type { Location } from "../errors.js";

export type { BuildFrom, RepoEnv, RepoSource, ResolvedCommand, ResolvedRepo, ResolvedSource, StepMount } from "./model-sources.js";
import type { ResolvedCommand, ResolvedRepo, ResolvedSource, StepMount } from "./model-sources.js";

/**
 * A dependency generator run once in the sources node, after patches: its downloads land in a
 * folder of the sources root (gomod, cargohome, pip) or in the source itself (nodemod).
 */
export type Generator = {
  source: string;
  subpath: string;
  paths: string[];
  /**
   * The spec file's name and the generator's field (`spec.yml: sources.src.generate[0].gomod`),
   * for messages: a line number would change the sources node's inputs whenever lines move.
   */
  where: string;
} & (
  | { kind: "gomod"; replace: [string, string][]; drop: string[]; auth: GomodAuth[] }
  | { kind: "cargohome" }
  | { kind: "pip"; requirements: string; indexUrl: string | undefined; extraIndexUrls: string[] }
  | { kind: "nodemod"; registry: string | undefined }
);

/**
 * How a gomod generator reaches a private host (gomod.auth, or the auth of the git source it
 * runs in, for that source's host, as Dalec fills it in): an HTTP auth secret's name (token or
 * header), or an ssh id and the user git logs in as.
 */
export type GomodAuth = { host: string } & ({ kind: "token" | "header"; secret: string } | { kind: "ssh"; secret: string; username: string });

/** A cache mount of the build steps (build.caches), its id namespaced as Dalec does it. */
export interface CacheMount {
  id: string;
  target: string;
  sharing: "shared" | "locked" | "private";
}

/**
 * A rustsccache cache: besides its cache mount (`dir`), the build gets sccache as RUSTC_WRAPPER,
 * Dalec's pinned release for the arch, downloaded and checked against `sha256`.
 */
export interface Sccache {
  url: string;
  sha256: string;
  /** SCCACHE_DIR: where the cache is mounted. */
  dir: string;
  /** RUSTC_WRAPPER: where the binary is mounted. */
  binary: string;
}

/**
 * A bazel cache: besides its cache mount, Dalec's system bazelrc (`rc`, at /etc/bazel.bazelrc)
 * and an optional remote cache socket: the ssh socket `sshId`, mounted at `socket` when the user
 * forwards one, which then adds `--remote_cache` lines to the bazelrc.
 */
export interface BazelCache {
  rc: string;
  socket: string;
  sshId: string;
}

/** One patch applied to a source, in order: `file` is a path under the sources root. */
export interface Patch {
  target: string;
  file: string;
  strip: number;
  /** The spec file's name and the patch's field (`spec.yml: patches.src[0]`), for messages. */
  where: string;
}

export interface ChangelogEntry {
  /** YYYY-MM-DD */
  date: string;
  author: string;
  changes: string[];
}

export interface SystemdUnit {
  src: string;
  /** Installed file name, e.g. foo.service. */
  name: string;
  enable: boolean;
  start: boolean;
}

export interface Dependency {
  name: string;
  /** Debian relation constraints, already in Debian syntax (`>= 1.0`, `<< 2`). */
  version: string[];
  arch: string[];
  /**
   * The spec file's name and the dependency's field (`spec.yml: dependencies.build.gcc`), for
   * the message when it cannot be installed: a line number would make the deps node rebuild
   * whenever lines above it move.
   */
  where: string;
}

export type ArtifactKind =
  | "binaries" | "libexec" | "opt" | "manpages" | "data_dirs" | "configFiles" | "docs" | "licenses"
  | "headers" | "libs" | "dropins";

export interface Artifact {
  kind: ArtifactKind;
  /** Path relative to the build root; may be a glob. */
  src: string;
  /** Absolute directory it installs into. */
  dir: string;
  /** File name, or "" for the source's own base name. */
  name: string;
  mode: number | undefined;
  user: string | undefined;
  group: string | undefined;
  /** `cap_net_bind_service+ep`-style entries for setcap, set when the package is installed. */
  caps: string[];
}

export interface ResolvedArtifacts {
  files: Artifact[];
  units: SystemdUnit[];
  /** Directories to create: absolute path, mode, owner. */
  dirs: { path: string; mode: number; user: string | undefined; group: string | undefined }[];
  links: { source: string; dest: string; user: string | undefined; group: string | undefined }[];
  users: string[];
  groups: string[];
  disableStrip: boolean;
  /** No dependencies on the shared libraries the package's ELF files need. */
  disableAutoRequires: boolean;
}

export type Check = {
  equals?: string;
  contains?: string[];
  matches?: string[];
  starts_with?: string;
  ends_with?: string;
  empty?: boolean;
};

export interface FileCheck extends Check {
  path: string;
  permissions?: number;
  is_dir?: boolean;
  not_exist?: boolean;
  no_follow?: boolean;
  link_target?: string;
  where: Location;
}

export interface TestStep {
  argv: string[];
  env: [string, string][];
  stdin: string | undefined;
  stdout: Check | undefined;
  stderr: Check | undefined;
  where: Location;
}

export interface ResolvedTest {
  name: string;
  /** Working directory of the steps (the test's `dir`), or undefined. */
  dir: string | undefined;
  env: [string, string][];
  mounts: StepMount[];
  steps: TestStep[];
  files: FileCheck[];
  where: Location;
}

export interface ResolvedImage {
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  env: string[];
  labels: [string, string][];
  workingDir: string | undefined;
  user: string | undefined;
  volumes: string[];
  stopSignal: string | undefined;
  /** The image to install the package into instead of the distro's own (image.base/bases). */
  base: string | undefined;
  /** The base's rootfs command: its steps run on `base` first (bases[0].rootfs.image.cmd). */
  baseCmd: ResolvedCommand | undefined;
  /** post.symlinks: the existing path, the new link, and the link's owner (empty: root). */
  symlinks: { old: string; link: string; user: string; group: string }[];
}

export interface ResolvedSpec {
  name: string;
  description: string;
  website: string;
  license: string;
  vendor: string;
  packager: string;
  version: string;
  revision: string;
  noarch: boolean;
  sources: ResolvedSource[];
  buildEnv: [string, string][];
  steps: { command: string; env: [string, string][]; mounts: StepMount[] }[];
  /** build.caches, plus the Go build cache Dalec adds for Go builds; `GOCACHE` set when present. */
  caches: CacheMount[];
  goCache: string | undefined;
  /** Go toolchains Dalec would put first on the build's PATH, the first that exists (resolve-caches.ts altGoBins). */
  goBins: string[];
  /** rustsccache: sccache as RUSTC_WRAPPER, SCCACHE_DIR at its cache mount. */
  sccache: Sccache | undefined;
  /** bazel: the system bazelrc and the optional remote cache socket. */
  bazel: BazelCache | undefined;
  /** "none" (Dalec's default): build steps have no network; "sandbox": they have. */
  network: "none" | "sandbox";
  patches: Patch[];
  generators: Generator[];
  deps: { build: Dependency[]; runtime: Dependency[]; recommends: Dependency[]; test: Dependency[] };
  repos: ResolvedRepo[];
  provides: Dependency[];
  conflicts: Dependency[];
  replaces: Dependency[];
  changelog: ChangelogEntry[];
  artifacts: ResolvedArtifacts;
  image: ResolvedImage;
  tests: ResolvedTest[];
  /** The build-time source filter's excludes (already in every folder source's): the sources node filters the generators' output with them. */
  globalExcludes: string[];
}
