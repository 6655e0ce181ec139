// The mounts a spec adds to the library's build and test steps: cache mounts (build.caches) and
// the sources build steps and tests mount (laid out by the sources node under .dalec-mounts/),
// after the library's own mount of the step's script (render/library-copy.ts writes the copy).
import type { CacheMount } from "../spec/model.js";
import { mountField } from "./library-copy.js";
import type { RunEdit } from "./library-copy.js";

/** A source mount: `source` is its path in the sources node's output, `target` where it goes. */
export interface SourceMountLine {
  source: string;
  target: string;
}

const cacheMount = (c: CacheMount) => `--mount=${["type=cache", mountField("id", c.id), mountField("target", c.target), mountField("sharing", c.sharing)].join(",")}`;
// Writable as in Dalec, whose step mounts are not read-only; what a step writes there is dropped.
const sourceMount = (m: SourceMountLine) => `--mount=${["type=bind", "from=sources", mountField("source", m.source), mountField("target", m.target), "rw"].join(",")}`;

export function buildEdit(caches: readonly CacheMount[], sources: readonly SourceMountLine[]): RunEdit {
  return { anchor: "--mount=type=bind,source=build.sh,target=/dalec/build.sh", mounts: [...caches.map(cacheMount), ...sources.map(sourceMount)] };
}

export function testEdit(sources: readonly SourceMountLine[]): RunEdit {
  return { anchor: "--mount=type=bind,source=test.sh,target=/dalec/test.sh", mounts: sources.map(sourceMount) };
}
