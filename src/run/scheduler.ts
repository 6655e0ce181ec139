// Runs a plan's chunks: each as soon as the chunks holding its parents are done, at most `jobs`
// at once; a transient BuildKit failure is retried with half the targets (up to three times);
// with keep-going, a failed chunk runs
// again without the failed targets and what depends on them. Pure control flow: running a chunk
// is the caller's function.
import pLimit from "p-limit";
import type { Chunk, Plan } from "../graph/plan.js";

export type Outcome = "built" | "cached" | "failed" | "skipped" | "stopped";

/** Transient failures an invocation gets over, each time asking for half the targets. */
const TRANSIENT_TRIES = 3;

export interface ChunkRun {
  /** Exit code of the bake invocation. */
  exitCode: number;
  /** Targets whose own step failed. */
  failed: string[];
  /** The invocation failed for a reason worth one more try (BuildKit's `no such job`). */
  transient: boolean;
  aborted: boolean;
  /** Per target: whether any step ran, and seconds from first start to last completion. */
  targets: Map<string, { executed: boolean; seconds: number }>;
}

export interface TargetResult {
  outcome: Outcome;
  seconds: number;
  /** The failed target that made this one be skipped. */
  because?: string;
}

export interface RunHooks {
  /** Builds `targets` (a subset of the chunk) in one invocation; `attempt` counts from 1. */
  runChunk: (chunk: Chunk, targets: string[], attempt: number) => Promise<ChunkRun>;
  onChunkDone?: (chunk: Chunk, results: Map<string, TargetResult>) => void;
}

export async function runPlan(p: Plan, jobs: number, keepGoing: boolean, hooks: RunHooks, signal?: AbortSignal): Promise<Map<string, TargetResult>> {
  const results = new Map<string, TargetResult>();
  const children = new Map<string, string[]>(p.nodes.map((n) => [n.name, []]));
  for (const n of p.nodes) for (const parent of n.parents) children.get(parent)!.push(n.name);
  const chunkOf = new Map(p.nodes.map((n) => [n.name, n.chunk]));
  let stop = false;

  const skipBelow = (failed: string) => {
    const walk = (n: string) => {
      for (const c of children.get(n)!) {
        if (results.has(c)) continue;
        results.set(c, { outcome: "skipped", seconds: 0, because: failed });
        walk(c);
      }
    };
    walk(failed);
  };

  const parentsOf = new Map(p.nodes.map((n) => [n.name, n.parents]));
  const runOne = async (chunk: Chunk) => {
    const pending = () => chunk.targets.filter((t) => !results.has(t));
    // A batch's parents in the same chunk are named in its bake file again (their steps are
    // cached by then): the file links them as `target:`.
    const inChunk = new Set(chunk.targets);
    const withParents = (batch: readonly string[]): string[] => {
      const want = new Set(batch);
      const walk = (n: string) => {
        for (const parent of parentsOf.get(n) ?? []) {
          if (inChunk.has(parent) && !want.has(parent)) {
            want.add(parent);
            walk(parent);
          }
        }
      };
      batch.forEach(walk);
      return chunk.targets.filter((t) => want.has(t));
    };
    let attempt = 0;
    let transient = 0;
    let size = pending().length;
    while (!stop && pending().length) {
      if (signal?.aborted) break;
      attempt++;
      const batch = pending().slice(0, size);
      const run = await hooks.runChunk(chunk, withParents(batch), attempt);
      if (run.aborted) {
        stop = true;
        break;
      }
      if (run.exitCode === 0) {
        for (const [t, r] of run.targets) if (!results.has(t)) results.set(t, { outcome: r.executed ? "built" : "cached", seconds: r.seconds });
        for (const t of batch) if (!results.has(t)) results.set(t, { outcome: "cached", seconds: 0 });
        continue;
      }
      if (run.transient && transient < TRANSIENT_TRIES) {
        // BuildKit's session deadline strikes when too many builds start at once (seen on two
        // cores with a few dozen targets of several local contexts each): ask for half as many.
        transient++;
        size = Math.max(1, Math.ceil(size / 2));
        continue;
      }
      // A failure no target can be blamed for: every target of the batch failed with it.
      const failed = run.failed.filter((t) => batch.includes(t));
      for (const t of failed.length ? failed : batch) {
        results.set(t, { outcome: "failed", seconds: run.targets.get(t)?.seconds ?? 0 });
        skipBelow(t);
      }
      if (!keepGoing) {
        stop = true;
        break;
      }
    }
    hooks.onChunkDone?.(chunk, new Map(chunk.targets.filter((t) => results.has(t)).map((t) => [t, results.get(t)!])));
  };

  // A chunk waits for the chunks that build its inputs.
  const limit = pLimit(jobs);
  const done = new Map<number, Promise<void>>();
  const start = (c: Chunk): Promise<void> => {
    const known = done.get(c.index);
    if (known) return known;
    const needs = [...new Set(c.inputs.map((i) => chunkOf.get(i)!))].map((i) => start(p.chunks[i]!));
    const promise = Promise.all(needs).then(() => limit(() => (stop ? Promise.resolve() : runOne(c))));
    done.set(c.index, promise);
    return promise;
  };
  await Promise.all(p.chunks.map(start));
  for (const n of p.nodes) if (!results.has(n.name)) results.set(n.name, { outcome: "stopped", seconds: 0 });
  return results;
}
