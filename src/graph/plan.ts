// The plan of a build: which nodes the requested targets need, how many leaves share each, their
// levels, and the bake invocations (chunks) a build makes. Pure: no process, no disk.
import { pushTo } from "../collections.js";
import { UserError } from "../errors.js";
import type { Stage } from "./blocks.js";
import type { Graph } from "./expand.js";
import { closure, selectNodes } from "./expand.js";

export const PLAN_VERSION = 1;

export interface PlanNode {
  name: string;
  stage: Stage;
  /** 0 for roots, else one more than the highest parent. */
  level: number;
  parents: string[];
  /** How many of the plan's leaves (nodes nothing else in the plan needs) depend on this one. */
  leaves: number;
  /** The chunk (bake invocation) that builds it. */
  chunk: number;
  /** Asked for (directly or through a group), rather than only needed by what was. */
  requested: boolean;
}

export interface Chunk {
  index: number;
  /** Chunks run in level order; those of one level may run at once. */
  level: number;
  targets: string[];
  /** Parents built by earlier chunks, handed in as contexts. */
  inputs: string[];
}

export interface Plan {
  version: typeof PLAN_VERSION;
  /** The targets and groups as given (none: `default`). */
  requested: string[];
  nodes: PlanNode[];
  chunks: Chunk[];
}

export function levels(graph: Graph, names: readonly string[]): Map<string, number> {
  const level = new Map<string, number>();
  const of = (n: string): number => {
    const known = level.get(n);
    if (known !== undefined) return known;
    const parents = graph.nodes.get(n)!.parents;
    const l = parents.length ? 1 + Math.max(...parents.map(of)) : 0;
    level.set(n, l);
    return l;
  };
  names.forEach(of);
  return level;
}

/**
 * Nodes that share an invocation: one vector's build, pkg and image. Handing a build's or a
 * package's files from one invocation to the next costs an export per leaf; the shared parents
 * (system, sources, deps) are few and are what splitting is for. Tests come last, on their own,
 * reading the image by its tag: in CI they are jobs of their own.
 */
function unitKey(graph: Graph, name: string): string {
  const n = graph.nodes.get(name)!;
  if (n.stage === "build" || n.stage === "pkg" || n.stage === "image") return `${n.spec}\0${JSON.stringify(n.coords)}`;
  return name;
}

export interface PlanOptions {
  /** The requested nodes alone, their parents taken as already built (a CI job's share). */
  only?: boolean;
  /** Chunks hold nodes of one shard only, e.g. one arch, for runners of that arch. */
  shardOf?: (name: string) => string;
  /** A plan of at most this many nodes is one invocation (default: the chunk size). */
  whole?: number;
}

/** Whether a node's result is a folder a later bake invocation reads (a prefetch node). */
function isFolderNode(graph: Graph, name: string): boolean {
  return graph.nodes.get(name)!.stage === "prefetch";
}

/** The nodes, with the folder nodes their children read, in graph order. */
function withFolderParents(graph: Graph, names: readonly string[]): string[] {
  const keep = new Set(names);
  for (const n of names) for (const p of graph.nodes.get(n)!.parents) if (isFolderNode(graph, p)) keep.add(p);
  return [...graph.nodes.keys()].filter((n) => keep.has(n));
}

export function plan(graph: Graph, requested: readonly string[], chunkSize: number, opts: PlanOptions = {}): Plan {
  const only = opts.only ?? false;
  if (!Number.isInteger(chunkSize) || chunkSize < 3) throw new UserError(`--chunk: expected a whole number of at least 3 (one leaf's build, pkg and image), found ${chunkSize}`);
  const wanted = selectNodes(graph, requested);
  const asked = new Set(wanted);
  // A node a child reads as a folder (a prefetch node: Block.after) is built wherever its child
  // is, a CI job's share included: no registry hands a folder over.
  const names = only ? withFolderParents(graph, wanted) : closure(graph, wanted);
  const inPlan = new Set(names);
  const level = levels(graph, names);
  const children = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const n of names) for (const p of graph.nodes.get(n)!.parents) children.get(p)?.push(n);

  const leavesOf = new Map<string, Set<string>>();
  const leafSet = (n: string): Set<string> => {
    let s = leavesOf.get(n);
    if (s) return s;
    const kids = children.get(n)!;
    s = kids.length ? new Set(kids.flatMap((k) => [...leafSet(k)])) : new Set([n]);
    leavesOf.set(n, s);
    return s;
  };

  const chunkOf = new Map<string, number>();
  const chunks: Chunk[] = [];
  if (names.length <= Math.max(chunkSize, opts.whole ?? 0) && !opts.shardOf) {
    // One invocation, but the folders its nodes read are written by one of their own before.
    const first = names.filter((n) => isFolderNode(graph, n));
    const rest = names.filter((n) => !isFolderNode(graph, n));
    for (const targets of [first, rest].filter((t) => t.length)) {
      const index = chunks.length;
      chunks.push({ index, level: index, targets, inputs: index ? first : [] });
      for (const n of targets) chunkOf.set(n, index);
    }
  } else {
    // Units in graph order; a unit's level is that of its first node.
    const units = new Map<string, string[]>();
    for (const n of names) {
      pushTo(units, unitKey(graph, n), n);
    }
    const unitLevel = new Map<string, number>();
    const levelOfUnit = (k: string): number => {
      const known = unitLevel.get(k);
      if (known !== undefined) return known;
      const outside = units.get(k)!.flatMap((n) => graph.nodes.get(n)!.parents).filter((p) => inPlan.has(p) && unitKey(graph, p) !== k);
      const l = outside.length ? 1 + Math.max(...outside.map((p) => levelOfUnit(unitKey(graph, p)))) : 0;
      unitLevel.set(k, l);
      return l;
    };
    const byLevel = new Map<number, string[][]>();
    for (const [k, unit] of units) pushTo(byLevel, levelOfUnit(k), unit);
    const shard = (unit: string[]) => opts.shardOf?.(unit[0]!) ?? "";
    for (const l of [...byLevel.keys()].sort((a, b) => a - b)) {
      // Stable: shards in the order they first appear, units in graph order within each.
      const shards = [...new Set(byLevel.get(l)!.map(shard))];
      byLevel.set(l, shards.flatMap((sh) => byLevel.get(l)!.filter((u) => shard(u) === sh)));
      let current: string[] = [];
      const flush = () => {
        if (!current.length) return;
        const index = chunks.length;
        chunks.push({ index, level: l, targets: current, inputs: [] });
        for (const n of current) chunkOf.set(n, index);
        current = [];
      };
      for (const unit of byLevel.get(l)!) {
        if (current.length + unit.length > chunkSize || (current.length && shard(unit) !== shard(current))) flush();
        current.push(...unit);
      }
      flush();
    }
    for (const c of chunks) {
      const inputs = new Set(c.targets.flatMap((n) => graph.nodes.get(n)!.parents).filter((p) => inPlan.has(p) && chunkOf.get(p) !== c.index));
      c.inputs = names.filter((n) => inputs.has(n));
    }
  }
  return {
    version: PLAN_VERSION,
    requested: requested.length ? [...requested] : ["default"],
    nodes: names.map((name) => {
      const n = graph.nodes.get(name)!;
      const leaves = leafSet(name).size;
      return { name, stage: n.stage, level: level.get(name)!, parents: n.parents.filter((p) => inPlan.has(p)), leaves, chunk: chunkOf.get(name)!, requested: asked.has(name) };
    }),
    chunks,
  };
}
