// build.caches as cache mounts of the build steps, with Dalec's ids: `<distro>-linux/<arch>-<key>`
// (unless no_auto_namespace), and the Go build cache Dalec adds to every Go build.
import { UserError } from "../errors.js";
import { platformOf } from "../distros.js";
import type { LoadedSpec } from "./load.js";
import type { CacheMount, Dependency, Generator } from "./model.js";

const GO_CACHE_DIR = "/tmp/dalec/gobuild-cache";

export function resolveCaches(
  spec: LoadedSpec,
  distro: string,
  arch: string,
  buildDeps: readonly Dependency[],
  generators: readonly Generator[],
): { caches: CacheMount[]; goCache: string | undefined } {
  const ns = `${distro}-${platformOf(arch)}`;
  const caches: CacheMount[] = [];
  let goCache: string | undefined;
  let goSeen = false;
  (spec.input.build?.caches ?? []).forEach((c, i) => {
    if (c.dir) {
      const key = c.dir.key || c.dir.dest!;
      const sharing = (c.dir.sharing || "shared") as CacheMount["sharing"];
      caches.push({ id: c.dir.no_auto_namespace ? key : `${ns}-${key}`, target: c.dir.dest!, sharing });
    } else if (c.gobuild) {
      goSeen = true;
      if (!c.gobuild.disabled) {
        const id = `${ns}-dalec-gobuildcache${c.gobuild.scope ? `-${c.gobuild.scope}` : ""}`;
        caches.push({ id, target: GO_CACHE_DIR, sharing: "shared" });
        goCache = GO_CACHE_DIR;
      }
    } else {
      const kind = c.rustsccache ? "rustsccache" : "bazel";
      const loc = spec.map.locate(["build", "caches", i, kind], true);
      throw new UserError(`"build.caches[${i}].${kind}" is not supported yet by dalec-bake`, loc, spec.map.frame(loc));
    }
  });
  // Dalec adds a Go build cache to a build with Go (a golang build dependency or a gomod
  // generator) unless the spec configures one itself.
  const hasGo = buildDeps.some((d) => d.name === "golang" || d.name.startsWith("golang-")) || generators.some((g) => g.kind === "gomod");
  if (hasGo && !goSeen) {
    caches.push({ id: `${ns}-dalec-gobuildcache`, target: GO_CACHE_DIR, sharing: "shared" });
    goCache = GO_CACHE_DIR;
  }
  return { caches, goCache };
}
