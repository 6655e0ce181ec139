// GitHub Actions matrices from a plan: one entry per shard (chunk) of a level, each on a runner
// of its arch, with the command the job runs; and the merge of per-arch images into multi-arch
// ones. A matrix holds at most 256 jobs, so shards grow until each level fits.
import type { Graph } from "../graph/expand.js";
import { plan } from "../graph/plan.js";
import type { Plan } from "../graph/plan.js";
import { pushTo } from "../collections.js";
import { UserError } from "../errors.js";

export const GH_MATRIX_LIMIT = 256;

export interface MatrixEntry {
  /** Unique in the plan: names the job's artifact of digests. */
  id: string;
  /** Shown as the job's name. */
  name: string;
  level: number;
  arch: string;
  runner: string;
  /** Space-separated target names. */
  targets: string;
  command: string;
}

export interface MergeEntry {
  name: string;
  image: string;
  sources: string[];
  command: string;
}

export interface CiOptions {
  /** Runner label per arch. */
  runners: Record<string, string>;
  /** Command line prefix that runs dalec-bake, e.g. `npx --yes dalec-bake@0.1.0`. */
  invoke: string;
  /** The --config and --out every job passes. */
  passArgs: string;
  chunk: number;
}

/** Sources nodes build on the local platform: put them with the first arch. */
export function archOf(graph: Graph, name: string, fallback: string): string {
  return graph.nodes.get(name)!.coords.arch ?? fallback;
}

export function shardedPlan(graph: Graph, targets: readonly string[], opts: CiOptions, arches: readonly string[]): Plan {
  const shardOf = (n: string) => archOf(graph, n, arches[0]!);
  for (let size = opts.chunk; ; size *= 2) {
    const p = plan(graph, targets, size, { shardOf });
    const perLevel = new Map<number, number>();
    for (const c of p.chunks) perLevel.set(c.level, (perLevel.get(c.level) ?? 0) + 1);
    if (Math.max(...perLevel.values()) <= GH_MATRIX_LIMIT) return p;
    if (size > p.nodes.length) throw new UserError(`cannot fit a level into ${GH_MATRIX_LIMIT} jobs`);
  }
}

export function matrixEntries(graph: Graph, p: Plan, opts: CiOptions, arches: readonly string[], level: number | undefined): MatrixEntry[] {
  // A prefetch node is no job of its own: the job of its child builds it (plan's --only keeps it).
  return p.chunks
    .filter((c) => level === undefined || c.level === level)
    .map((c) => ({ ...c, targets: c.targets.filter((t) => graph.nodes.get(t)!.stage !== "prefetch") }))
    .filter((c) => c.targets.length)
    .map((c) => {
      const arch = archOf(graph, c.targets[0]!, arches[0]!);
      const stages = [...new Set(c.targets.map((t) => graph.nodes.get(t)!.stage))].join("+");
      const runner = opts.runners[arch];
      if (!runner) throw new UserError(`--runner: no runner label for ${arch} (expected ${arches.map((a) => `${a}=LABEL`).join(",")})`);
      return {
        id: `chunk-${c.index + 1}`,
        name: `level ${c.level} ${arch} ${stages} ${c.index + 1}`,
        level: c.level,
        arch,
        runner,
        targets: c.targets.join(" "),
        command: [opts.invoke, "build", opts.passArgs, "--push --only", ...c.targets].filter(Boolean).join(" "),
      };
    });
}

/** One multi-arch image per image tag that differs only by arch. */
export function mergeEntries(graph: Graph, p: Plan): MergeEntry[] {
  const groups = new Map<string, string[]>();
  for (const n of p.nodes) {
    const node = graph.nodes.get(n.name)!;
    if (node.stage !== "image" || !node.target.tags?.length) continue;
    const tag = node.target.tags[0]!;
    // The same tag with every coordinate but the arch.
    const repo = tag.slice(0, tag.lastIndexOf(":"));
    const merged = `${repo}:${Object.entries(node.coords).filter(([k]) => k !== "arch").map(([, v]) => v).join("-")}`;
    pushTo(groups, merged, tag);
  }
  return [...groups].map(([image, sources]) => ({
    name: image,
    image,
    sources,
    command: `docker buildx imagetools create -t ${image} ${sources.join(" ")}`,
  }));
}
