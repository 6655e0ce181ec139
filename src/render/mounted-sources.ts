// The sources build steps, tests and an image base's command mount (`mounts`), and the extra
// repos' sources a bind mount cannot take as they are, each distinct one laid out once by the
// sources node under .dalec-mounts/, and where each node's RUN mounts it from.
import { posix } from "node:path";
import { UserError } from "../errors.js";
import type { LoadedSpec } from "../spec/load.js";
import type { ResolvedSource, StepMount } from "../spec/model.js";
import type { Path } from "../yaml/read.js";
import type { SourceMountLine } from "./build-dockerfile.js";
import type { ContextProbe } from "./context-root.js";

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

  /**
   * The mounts of one RUN (a build step or a test) as mount lines; two sources at one
   * destination cannot share it. `what`: "build step" or "test".
   */
  lines(spec: LoadedSpec, mounts: readonly StepMount[], what: "build step" | "test"): SourceMountLine[] {
    const byDest = new Map<string, SourceMountLine>();
    for (const m of mounts) {
      const line = { source: this.place(m), target: m.dest };
      const other = byDest.get(m.dest);
      if (other && other.source !== line.source) {
        const why = `another mount of this ${what} has this destination with another source`;
        throw new UserError(`mount "${m.dest}": ${why}`, m.where, spec.map.frame(m.where));
      }
      byDest.set(m.dest, line);
    }
    return [...byDest.values()];
  }

  private place(m: StepMount): string {
    return this.placeSource(m.source, m.at, `mount "${m.dest}"`);
  }

  /**
   * Where a source sits in the sources node's output: the file itself for a file. `at` and
   * `label`: where the spec names it and how a message names it.
   */
  placeSource(s: ResolvedSource, at: Path, label: string): string {
    // the same source under two names is laid out once
    const key = JSON.stringify({ ...s, name: "" });
    let name = this.names.get(key);
    if (!name) {
      name = `.dalec-mounts/m${this.names.size + 1}`;
      this.names.set(key, name);
      this.sources.push({ ...s, name });
      if (s.kind === "context") this.uses.push({ path: s.path, at, label });
    }
    if (s.kind === "inline-file" || s.kind === "http") return name;
    if (s.kind === "context" && this.probe(posix.normalize(s.path)) === "file") return `${name}/${posix.basename(s.path)}`;
    return name;
  }
}

