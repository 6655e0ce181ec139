// `dalec-bake matrix` and `dalec-bake workflow`: the tree split over GitHub Actions jobs.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.js";
import { matrixEntries, mergeEntries, shardedPlan } from "../report/gh-matrix.js";
import type { CiOptions } from "../report/gh-matrix.js";
import { renderWorkflow } from "../render/workflow.js";
import { digestDirOf } from "../run/digests.js";
import { writeGeneratedFile } from "../write/writer.js";
import type { Io } from "./main.js";
import { makePlan } from "./plan.js";
import type { PlanOptions } from "./plan.js";

export interface MatrixOptions extends PlanOptions {
  level: number | undefined;
  merge: boolean;
  runners: string | undefined;
  invoke: string | undefined;
  /** The --config and --out the user gave, passed on to the jobs. */
  passArgs: string;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { version: string };
  return pkg.version;
}

function runnersOf(text: string | undefined, arches: readonly string[]): Record<string, string> {
  const runners: Record<string, string> = Object.fromEntries(arches.map((a) => [a, "ubuntu-latest"]));
  for (const pair of (text ?? "").split(",").filter(Boolean)) {
    const [arch, label] = pair.split("=", 2);
    if (!arch || !label || !arches.includes(arch)) throw new UserError(`--runner: expected ARCH=LABEL with ARCH one of ${arches.join(", ")}, found "${pair}"`);
    runners[arch] = label;
  }
  return runners;
}

async function ciPlan(opts: MatrixOptions) {
  const made = await makePlan(opts, (m): Record<string, string> => (m.registry ? { DALEC_BAKE_IMAGE_PREFIX: `${m.registry}/` } : {}));
  if (!made.tree.matrix.registry) throw new UserError(`${made.tree.origin}: CI jobs hand parents on through a registry; name one (e.g. "registry: 127.0.0.1:5000/hello")`);
  const arches = made.tree.matrix.arches;
  const ci: CiOptions = {
    runners: runnersOf(opts.runners, arches),
    invoke: opts.invoke ?? `npx --yes dalec-bake@${version()}`,
    passArgs: opts.passArgs,
    chunk: opts.chunk,
  };
  const p = shardedPlan(made.graph, opts.targets, ci, arches);
  return { ...made, p, ci, arches };
}

export async function matrixCommand(opts: MatrixOptions, io: Io): Promise<number> {
  const { graph, p, ci, arches } = await ciPlan(opts);
  const include = opts.merge ? mergeEntries(graph, p) : matrixEntries(graph, p, ci, arches, opts.level);
  io.stdout(`${JSON.stringify({ include })}\n`);
  return 0;
}

export async function workflowCommand(opts: MatrixOptions, io: Io): Promise<number> {
  const { graph, p, ci, tree } = await ciPlan(opts);
  const levels = [...new Set(p.chunks.map((c) => c.level))].sort((a, b) => a - b).map((level) => ({
    level,
    stages: [...new Set(p.chunks.filter((c) => c.level === level).flatMap((c) => c.targets.map((t) => graph.nodes.get(t)!.stage)))],
  }));
  const imageLevel = levels.find((l) => l.stages.includes("image"))?.level ?? levels.at(-1)!.level;
  const first = tree.matrix.registry!.split("/")[0]!;
  // Docker's rule: the first part is a host when it has a dot or a port, or is localhost.
  const registryHost = /[.:]/.test(first) || first === "localhost" ? first : undefined;
  const digests = relative(opts.cwd, digestDirOf(tree.outDir)).split("\\").join("/");
  const text = renderWorkflow({ levels, imageLevel, registryHost, invoke: ci.invoke, args: opts.passArgs, digests, runners: ci.runners, gha: tree.matrix.cache.gha });
  const path = join(opts.cwd, ".github/workflows/dalec-bake.yml");
  const done = writeGeneratedFile(path, text);
  io.stderr(`dalec-bake: ${relative(opts.cwd, path)}: ${done} (${levels.length} levels; ${p.chunks.length} build jobs for the current matrix)\n`);
  return 0;
}
