// A spec's own copies of the library's Dockerfile.build and Dockerfile.test, for a spec whose
// build or tests need mounts: RUN --mount flags take no build args, so they are written in.
// Cache mounts (build.caches) and the sources build steps and tests mount (laid out by the
// sources node under .dalec-mounts/) follow the library's own mount of the script.
import type { CacheMount } from "../spec/model.js";
import { STAMP } from "./shell.js";

const BUILD_ANCHOR = "--mount=type=bind,source=build.sh,target=/dalec/build.sh";
const TEST_ANCHOR = "--mount=type=bind,source=test.sh,target=/dalec/test.sh";

/** A source mount: `source` is its path in the sources node's output, `target` where it goes. */
export interface SourceMountLine {
  source: string;
  target: string;
}

/** A --mount field, CSV-quoted when its value could be read as more than one field. */
function field(k: string, v: string): string {
  const f = `${k}=${v}`;
  return /[,"\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

const cacheLine = (c: CacheMount) => ["type=cache", field("id", c.id), field("target", c.target), field("sharing", c.sharing)];
// Writable as in Dalec, whose step mounts are not read-only; what a step writes there is dropped.
const sourceLine = (m: SourceMountLine) => ["type=bind", "from=sources", field("source", m.source), field("target", m.target), "rw"];

function withMounts(library: string, anchor: string, what: string, mounts: string[][]): string {
  if (!library.includes(anchor)) throw new Error(`the library Dockerfile no longer has the line "${anchor}" that ${what} follow`);
  const out: string[] = [`# ${STAMP}`, `# The library's Dockerfile, with the spec's ${what}.`];
  for (const line of library.split("\n")) {
    out.push(line);
    if (line.includes(anchor)) out.push(...mounts.map((m) => `    --mount=${m.join(",")} \\`));
  }
  return out.join("\n");
}

export function renderBuildDockerfile(library: string, caches: readonly CacheMount[], sources: readonly SourceMountLine[] = []): string {
  return withMounts(library, BUILD_ANCHOR, "cache mounts and step mounts", [...caches.map(cacheLine), ...sources.map(sourceLine)]);
}

export function renderTestDockerfile(library: string, sources: readonly SourceMountLine[]): string {
  return withMounts(library, TEST_ANCHOR, "test mounts", sources.map(sourceLine));
}
