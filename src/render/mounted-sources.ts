// The sources build steps and tests mount (`mounts`), each distinct one laid out once by the
// sources node under .dalec-mounts/, and where each node's RUN mounts it from.
import { posix } from "node:path";
import { UserError } from "../errors.js";
import type { LoadedSpec } from "../spec/load.js";
import type { ResolvedSource, StepMount } from "../spec/model.js";
import type { Path } from "../yaml/read.js";
import type { SourceMountLine } from "./build-dockerfile.js";
import type { ContextProbe } from "./spec-files.js";

/** A path of the build context a spec reads. */
export interface ContextUse {
  path: string;
  /** Where the spec names it, and how a message names it. */
  at: Path;
  label: string;
}

/**
 * The sources build steps and tests mount, each distinct one laid out once by the sources node
 * under .dalec-mounts/ (which the build removes from its working directory before its steps).
 */
export class MountedSources {
  readonly sources: ResolvedSource[] = [];
  readonly uses: ContextUse[] = [];
  private readonly names = new Map<string, string>();
  constructor(private readonly probe: ContextProbe) {}

  /** One node's mounts as mount lines; two sources at one destination cannot share its one RUN. */
  lines(spec: LoadedSpec, mounts: readonly StepMount[], what: string): SourceMountLine[] {
    const byDest = new Map<string, SourceMountLine>();
    for (const m of mounts) {
      const line = { source: this.place(m), target: m.dest };
      const other = byDest.get(m.dest);
      if (other && other.source !== line.source) {
        throw new UserError(`mount "${m.dest}": another mount of the ${what} has this destination with another source; dalec-bake runs all ${what} in one RUN, where a destination holds one source`, m.where, spec.map.frame(m.where));
      }
      byDest.set(m.dest, line);
    }
    return [...byDest.values()];
  }

  /** Where the mount's source sits in the sources node's output: the file itself for a file. */
  private place(m: StepMount): string {
    const key = JSON.stringify(m.source);
    let name = this.names.get(key);
    if (!name) {
      name = `.dalec-mounts/m${this.names.size + 1}`;
      this.names.set(key, name);
      this.sources.push({ ...m.source, name });
      if (m.source.kind === "context") this.uses.push({ path: m.source.path, at: m.at, label: `mount "${m.dest}"` });
    }
    const s = m.source;
    if (s.kind === "inline-file" || s.kind === "http") return name;
    if (s.kind === "context" && this.probe(posix.normalize(s.path)) === "file") return `${name}/${posix.basename(s.path)}`;
    return name;
  }
}

