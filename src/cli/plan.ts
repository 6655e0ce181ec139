// `dalec-bake plan` and `dalec-bake graph`: the tree evaluated for the chosen vectors, nothing run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { UserError } from "../errors.js";
import { affected, fingerprints } from "../graph/affected.js";
import { expandGraph } from "../graph/expand.js";
import { contextReader } from "../io/contexts.js";
import { spawn } from "../run/spawn.js";
import { plan } from "../graph/plan.js";
import type { Plan } from "../graph/plan.js";
import { renderGraph } from "../report/graph-formats.js";
import type { GraphFormat } from "../report/graph-formats.js";
import { renderPlanText } from "../report/plan-text.js";
import { STAMP } from "../render/shell.js";
import { loadTree } from "./gen.js";
import type { GenOptions, LoadedTree } from "./gen.js";
import type { Graph } from "../graph/expand.js";
import type { Matrix } from "../matrix/model.js";
import type { Io } from "./main.js";

export interface PlanOptions extends Omit<GenOptions, "check" | "specs"> {
  targets: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  chunk: number;
  /** A plan of at most this many targets is one invocation. */
  whole?: number;
}

/** What bake substitutes for BAKE_LOCAL_PLATFORM on this machine. */
export function localPlatform(arch: string): string {
  return `linux/${arch === "x64" ? "amd64" : arch}`;
}

/** `extraEnv`: variables the command sets for bake, given the matrix (e.g. the image prefix of --push). */
export async function makePlan(
  opts: PlanOptions & { only?: boolean },
  extraEnv?: (m: Matrix) => Record<string, string>,
): Promise<{ plan: Plan; tree: LoadedTree; graph: Graph }> {
  const tree = await loadTree({ ...opts, specs: [] });
  const env = { ...opts.env, ...extraEnv?.(tree.matrix) };
  const graph = expandGraph(tree.matrix, tree.blocks, { env, localPlatform: localPlatform(opts.arch) });
  return { plan: plan(graph, opts.targets, opts.chunk, { only: opts.only, whole: opts.whole }), tree, graph };
}

export async function planCommand(opts: PlanOptions & { json: boolean; since: string | undefined }, io: Io): Promise<number> {
  const made = await makePlan(opts);
  const p = made.plan;
  if (opts.since === undefined) {
    io.stdout(opts.json ? `${JSON.stringify(p, null, 2)}\n` : renderPlanText(p));
    return 0;
  }
  const names = p.nodes.map((n) => n.name);
  const now = fingerprints(made.graph, names, contextReader(made.tree.outDir, made.tree.files));
  const before = await fingerprintsAt(opts, opts.since, names, io);
  const hit = affected(made.graph, names, now, before);
  if (opts.json) io.stdout(`${JSON.stringify({ ...p, since: { ref: opts.since, affected: hit } }, null, 2)}\n`);
  else io.stdout(`${hit.length} of ${names.length} nodes affected by changes since ${opts.since}${hit.length ? ":" : ""}\n${hit.map((n) => `  ${n}\n`).join("")}`);
  return 0;
}

/** The same nodes' fingerprints in the tree generated from the files at a git revision. */
async function fingerprintsAt(opts: PlanOptions, ref: string, names: readonly string[], io: Io): Promise<Map<string, string>> {
  const git = async (args: string[], cwd: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const r = await spawn("git", args, { cwd, env: opts.env, signal: io.signal, onStdoutLine: (l) => out.push(l), onStderrLine: (l) => err.push(l) });
    if (r.exitCode !== 0) throw new UserError(`--since ${ref}: git ${args[0]} failed: ${err.join(" ").trim() || `exit ${r.exitCode}`}`);
    return out.join("\n").trim();
  };
  const root = await git(["rev-parse", "--show-toplevel"], opts.cwd);
  const tmp = mkdtempSync(join(tmpdir(), "dalec-bake-since-"));
  try {
    const old = join(tmp, "tree");
    mkdirSync(old);
    await git(["archive", "--format=tar", "-o", join(tmp, "old.tar"), ref], root);
    const untar = await spawn("tar", ["-xf", join(tmp, "old.tar"), "-C", old], { cwd: tmp, env: opts.env, onStderrLine: () => {} });
    if (untar.exitCode !== 0) throw new UserError(`--since ${ref}: could not unpack the files of ${ref}`);
    const cwd = join(old, relative(realpathSync(root), realpathSync(opts.cwd)));
    let tree;
    try {
      tree = await loadTree({ ...opts, cwd, specs: [] });
    } catch (e) {
      // Nothing to compare with (no matrix file then, or one that did not load): all is new.
      if (e instanceof UserError) return new Map();
      throw e;
    }
    const graph = expandGraph(tree.matrix, tree.blocks, { env: opts.env, localPlatform: localPlatform(opts.arch) });
    return fingerprints(graph, names, contextReader(tree.outDir, withCommittedLibrary(tree.files, tree.outDir)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The library functions (Dockerfiles and their scripts) come with dalec-bake, not with the
 * user's files; but where the revision holds a generated tree of its own (committed, as this
 * project's bake/ is), its copies are what that revision built with, so they are compared.
 */
function withCommittedLibrary(files: ReadonlyMap<string, string>, outDir: string): Map<string, string> {
  const out = new Map(files);
  for (const path of files.keys()) {
    if (!path.startsWith("dockerfiles/")) continue;
    const file = join(outDir, path);
    if (!existsSync(file)) continue;
    const committed = readFileSync(file, "utf8");
    if (committed.includes(STAMP)) out.set(path, committed);
  }
  return out;
}

export async function graphCommand(opts: PlanOptions & { format: GraphFormat }, io: Io): Promise<number> {
  const { plan: p } = await makePlan(opts);
  io.stdout(renderGraph(p, opts.format));
  return 0;
}
