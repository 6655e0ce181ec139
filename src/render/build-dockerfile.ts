// The build node's Dockerfile for a spec with cache mounts: the library's Dockerfile.build with
// the mounts added to its build step. Mount flags take no build args, so they are written in.
import type { CacheMount } from "../spec/model.js";
import { STAMP } from "./shell.js";

const ANCHOR = "--mount=type=bind,source=build.sh,target=/dalec/build.sh";

/** A --mount field, CSV-quoted when its value could be read as more than one field. */
function field(k: string, v: string): string {
  const f = `${k}=${v}`;
  return /[,"\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

export function renderBuildDockerfile(library: string, caches: readonly CacheMount[]): string {
  const mounts = caches.map((c) => `    --mount=${["type=cache", field("id", c.id), field("target", c.target), field("sharing", c.sharing)].join(",")} \\`);
  const out: string[] = [`# ${STAMP}`, "# The library's Dockerfile.build, with the spec's build.caches as cache mounts."];
  for (const line of library.split("\n")) {
    out.push(line);
    if (line.includes(ANCHOR)) out.push(...mounts);
  }
  if (!library.includes(ANCHOR)) throw new Error(`Dockerfile.build no longer has the line "${ANCHOR}" that cache mounts follow`);
  return out.join("\n");
}
