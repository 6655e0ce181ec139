// `dalec-bake plan` and `dalec-bake graph`: the tree evaluated for the chosen vectors, nothing run.
import { expandGraph } from "../graph/expand.js";
import { plan } from "../graph/plan.js";
import type { Plan } from "../graph/plan.js";
import { renderGraph } from "../report/graph-formats.js";
import type { GraphFormat } from "../report/graph-formats.js";
import { renderPlanText } from "../report/plan-text.js";
import { loadTree } from "./gen.js";
import type { GenOptions } from "./gen.js";
import type { Io } from "./main.js";

export interface PlanOptions extends Omit<GenOptions, "check" | "specs"> {
  targets: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  chunk: number;
}

/** What bake substitutes for BAKE_LOCAL_PLATFORM on this machine. */
export function localPlatform(arch: string): string {
  return `linux/${arch === "x64" ? "amd64" : arch}`;
}

export async function makePlan(opts: PlanOptions): Promise<{ plan: Plan; tree: Awaited<ReturnType<typeof loadTree>>; graph: ReturnType<typeof expandGraph> }> {
  const tree = await loadTree({ ...opts, specs: [] });
  const graph = expandGraph(tree.matrix, tree.blocks, { env: opts.env, localPlatform: localPlatform(opts.arch) });
  return { plan: plan(graph, opts.targets, opts.chunk), tree, graph };
}

export async function planCommand(opts: PlanOptions & { json: boolean }, io: Io): Promise<number> {
  const { plan: p } = await makePlan(opts);
  io.stdout(opts.json ? `${JSON.stringify(p, null, 2)}\n` : renderPlanText(p));
  return 0;
}

export async function graphCommand(opts: PlanOptions & { format: GraphFormat }, io: Io): Promise<number> {
  const { plan: p } = await makePlan(opts);
  io.stdout(renderGraph(p, opts.format));
  return 0;
}
