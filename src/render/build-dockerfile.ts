// The build node's Dockerfile for a spec with cache mounts: the library's Dockerfile.build with
// the mounts added to its build step. Mount flags take no build args, so they are written in.
import type { CacheMount } from "../spec/model.js";
import { libraryCopy, mountField } from "./library-copy.js";

const ANCHOR = "--mount=type=bind,source=build.sh,target=/dalec/build.sh";

export function renderBuildDockerfile(library: string, caches: readonly CacheMount[]): string {
  const mounts = caches.map((c) => `--mount=${["type=cache", mountField("id", c.id), mountField("target", c.target), mountField("sharing", c.sharing)].join(",")}`);
  return libraryCopy(library, "Dockerfile.build", ANCHOR, "build.caches as cache mounts", mounts);
}
