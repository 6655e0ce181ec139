// A build-time source filter (Dalec's `global_excludes`, which its users pass with
// DALEC_SOURCE_FILTER_CONFIG_PATH; here the matrix file's `source_filter`): its patterns are
// added to the excludes of every folder source, wherever it is used (the spec's sources, what
// steps, tests and commands mount, extra repos' sources, a build's own context), as Dalec adds
// them in each source's fetch options. The generators' output is filtered by the sources node.
import type { BuildFrom, ResolvedCommand, ResolvedRepo, ResolvedSource, StepMount } from "./model.js";
import type { ResolvedSpec } from "./model.js";
import { passesFilters } from "./patterns.js";

/** The spec with `excludes` (already checked patterns) added to every folder source. */
export function withGlobalExcludes(spec: ResolvedSpec, excludes: readonly string[]): ResolvedSpec {
  if (!excludes.length) return spec;
  const f = new Excluder(excludes);
  const cmd = (c: ResolvedCommand | undefined) => c && f.command(c);
  return {
    ...spec,
    sources: spec.sources.map((s) => f.source(s)),
    steps: spec.steps.map((st) => ({ ...st, mounts: f.mounts(st.mounts) })),
    tests: spec.tests.map((t) => ({ ...t, mounts: f.mounts(t.mounts) })),
    repos: spec.repos.map((r) => f.repo(r)),
    image: { ...spec.image, baseCmd: cmd(spec.image.baseCmd) },
    globalExcludes: [...excludes],
  };
}

class Excluder {
  constructor(private readonly excludes: readonly string[]) {}

  source<S extends ResolvedSource>(s: S): S {
    switch (s.kind) {
      case "inline-file":
      case "http":
        return s; // files: Dalec filters folders only
      case "inline-dir":
        return { ...s, files: s.files.filter((file) => passesFilters(file.name, [], this.excludes)) };
      case "image":
        return { ...s, excludes: [...s.excludes, ...this.excludes], cmd: s.cmd && this.command(s.cmd) };
      case "build":
        return { ...s, excludes: [...s.excludes, ...this.excludes], from: this.from(s.from) };
      default:
        return { ...s, excludes: [...s.excludes, ...this.excludes] };
    }
  }

  mounts(list: readonly StepMount[]): StepMount[] {
    return list.map((m) => ({ ...m, source: this.source(m.source) }));
  }

  command(c: ResolvedCommand): ResolvedCommand {
    return { ...c, mounts: this.mounts(c.mounts), steps: c.steps.map((st) => ({ ...st, mounts: this.mounts(st.mounts) })) };
  }

  repo(r: ResolvedRepo): ResolvedRepo {
    return {
      ...r,
      config: r.config.map(([name, s]) => [name, this.source(s)]),
      keys: r.keys.map(([name, s]) => [name, this.source(s)]),
      data: r.data.map((d) => ({ ...d, source: this.source(d.source) })),
    };
  }

  /** A build's own context: a folder gets the excludes as a filter (a prefetch node applies it). */
  private from(b: BuildFrom): BuildFrom {
    switch (b.kind) {
      case "http":
        return b;
      case "inline":
        return { ...b, files: b.files.filter((file) => passesFilters(file.name, [], this.excludes)) };
      case "image":
        return { ...b, filter: this.filter(b.filter), ...(b.cmd ? { cmd: this.command(b.cmd) } : {}) };
      default:
        return { ...b, filter: this.filter(b.filter) };
    }
  }

  private filter(given: { includes: string[]; excludes: string[] } | undefined): { includes: string[]; excludes: string[] } {
    return { includes: given?.includes ?? [], excludes: [...(given?.excludes ?? []), ...this.excludes] };
  }
}
