// build.caches as cache mounts of the build steps, with Dalec's ids: `<distro>-linux/<arch>-<key>`
// (unless no_auto_namespace), where the distro is its version id on the Debian family
// (`debian12`, as Dalec's deb build names it) and its target name on the RPM family, and the
// Go build cache Dalec adds to every Go build. The paths,
// ids and the sccache release below are Dalec's own (cache.go), so a spec behaves as in Dalec.
import { platformOf } from "../distros.js";
import type { Distro } from "../distros.js";
import type { LoadedSpec } from "./load.js";
import type { BazelCache, CacheMount, Dependency, Generator, Sccache } from "./model.js";

const GO_CACHE_DIR = "/tmp/dalec/gobuild-cache";
const SCCACHE_DIR = "/tmp/dalec/sccache-cache";
const SCCACHE_BINARY = "/tmp/internal/dalec/sccache/sccache";
const BAZEL_CACHE_DIR = "/tmp/dalec/bazel-local-cache";
/** The ssh id of bazel's remote cache socket (Dalec's BazelDefaultSocketID). */
export const BAZEL_SSH_ID = "bazel-default";

const SCCACHE_VERSION = "v0.10.0";
/** Dalec's pinned sccache release per arch (the matrix has amd64 and arm64). */
const SCCACHE_BUILDS: Record<string, { triple: string; sha256: string }> = {
  amd64: { triple: "x86_64-unknown-linux-musl", sha256: "1fbb35e135660d04a2d5e42b59c7874d39b3deb17de56330b25b713ec59f849b" },
  arm64: { triple: "aarch64-unknown-linux-musl", sha256: "d6a1ce4acd02b937cd61bc675a8be029a60f7bc167594c33d75732bbc0a07400" },
};

export function sccacheFor(arch: string): Sccache {
  // Dalec falls back to the x86_64 build for an arch it has no build of.
  const b = SCCACHE_BUILDS[arch] ?? SCCACHE_BUILDS.amd64!;
  const url = `https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${b.triple}.tar.gz`;
  return { url, sha256: b.sha256, dir: SCCACHE_DIR, binary: SCCACHE_BINARY };
}

/** Dalec's system bazelrc: the disk cache for both `build` and `fetch`. */
export const BAZELRC = `\nbuild --disk_cache=${BAZEL_CACHE_DIR}\nfetch --disk_cache=${BAZEL_CACHE_DIR}\n`;

export interface ResolvedCaches {
  caches: CacheMount[];
  goCache: string | undefined;
  sccache: Sccache | undefined;
  bazel: BazelCache | undefined;
}

export function resolveCaches(
  spec: LoadedSpec,
  distro: Pick<Distro, "name" | "family" | "versionId">,
  arch: string,
  buildDeps: readonly Dependency[],
  generators: readonly Generator[],
): ResolvedCaches {
  const ns = `${distro.family === "debian" ? distro.versionId : distro.name}-${platformOf(arch)}`;
  const caches: CacheMount[] = [];
  let goCache: string | undefined;
  let sccache: Sccache | undefined;
  let bazel: BazelCache | undefined;
  let goSeen = false;
  const scoped = (key: string, scope: string | undefined) => `${ns}-${key}${scope ? `-${scope}` : ""}`;
  (spec.input.build?.caches ?? []).forEach((c) => {
    if (c.dir) {
      const key = c.dir.key || c.dir.dest!;
      const sharing = (c.dir.sharing || "shared") as CacheMount["sharing"];
      caches.push({ id: c.dir.no_auto_namespace ? key : `${ns}-${key}`, target: c.dir.dest!, sharing });
    } else if (c.gobuild) {
      goSeen = true;
      if (!c.gobuild.disabled) {
        caches.push({ id: scoped("dalec-gobuildcache", c.gobuild.scope), target: GO_CACHE_DIR, sharing: "shared" });
        goCache = GO_CACHE_DIR;
      }
    } else if (c.rustsccache) {
      caches.push({ id: scoped("dalec-rustsccache", c.rustsccache.scope), target: SCCACHE_DIR, sharing: "shared" });
      sccache = sccacheFor(arch);
    } else if (c.bazel) {
      caches.push({ id: scoped("dalec-bazelcache", c.bazel.scope), target: BAZEL_CACHE_DIR, sharing: "shared" });
      bazel = { rc: BAZELRC, socket: "/tmp/dalec/bazel-remote.sock", sshId: BAZEL_SSH_ID };
    }
  });
  // Dalec adds a Go build cache to a build with Go (a golang build dependency or a gomod
  // generator) unless the spec configures one itself.
  const hasGo = buildDeps.some((d) => d.name === "golang" || d.name.startsWith("golang-")) || generators.some((g) => g.kind === "gomod");
  if (hasGo && !goSeen) {
    caches.push({ id: `${ns}-dalec-gobuildcache`, target: GO_CACHE_DIR, sharing: "shared" });
    goCache = GO_CACHE_DIR;
  }
  return { caches, goCache, sccache, bazel };
}

/**
 * Where Dalec looks for a Go toolchain other than Debian's default (its deb targets' prepareGo):
 * for a spec with a gomod generator and no `golang` build dependency, each `golang-X.Y`
 * build dependency (names sorted; `golang-1.22-go` is 1.22) gives `/usr/lib/go-X.Y/bin`, and
 * the first that holds `go` goes first on the build's PATH. The RPM family has none.
 */
export function altGoBins(family: Distro["family"], buildDeps: readonly Dependency[], generators: readonly Generator[]): string[] {
  if (family !== "debian" || !generators.some((g) => g.kind === "gomod")) return [];
  const names = buildDeps.map((d) => d.name);
  if (names.includes("golang")) return [];
  return names
    .filter((n) => n.startsWith("golang-"))
    .sort()
    .map((n) => `/usr/lib/go-${n.slice("golang-".length).split("-")[0]}/bin`);
}
