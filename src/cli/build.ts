// `dalec-bake build`: gen, plan, then one bake invocation per chunk, with live progress, a
// summary, per-target logs and metadata, and an exit code that says whether anything failed.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Chunk } from "../graph/plan.js";
import { renderSummary, tally } from "../report/summary.js";
import { specLines } from "../report/spec-lines.js";
import { ENGINE_RACES } from "../render/bake-sh.js";
import { SPEC_FIELDS } from "../render/spec-fields.js";
import { ChunkRenderer, localOutput, tagOf } from "../run/chunk-file.js";
import { digestDirOf, digestRefsOf } from "../run/digests.js";
import { readDigests } from "../io/digest-folder.js";
import type { HandoffPolicy } from "../run/chunk-file.js";
import { UserError } from "../errors.js";
import { ProgressReader } from "../run/progress.js";
import { runPlan } from "../run/scheduler.js";
import type { ChunkRun, TargetResult } from "../run/scheduler.js";
import { spawn } from "../run/spawn.js";
import { RunFiles, clearPrefetchFolders, writeDigest } from "../write/run-files.js";
import { writeTree } from "../write/writer.js";
import type { Io } from "./main.js";
import { makePlan } from "./plan.js";
import type { PlanOptions } from "./plan.js";

export interface BuildOptions extends PlanOptions {
  jobs: number;
  keepGoing: boolean;
  /** Push images, and hand parents on, through the matrix file's registry. */
  push: boolean;
  /** Build the requested targets alone; their parents come from the registry. */
  only: boolean;
}

// Failures of BuildKit itself, not of a step: worth one more try (docker/buildx issue 3810, a
// session deadline seen with a hundred targets of several local contexts each, and the docker
// driver's races loading parents into the image store, which bake.sh retries too).
const TRANSIENT = new RegExp(`no such job|DeadlineExceeded: context deadline exceeded|${ENGINE_RACES}`);

/** Whether bake's own output, or what a failed step printed (runc's mount error), names one. */
function transient(reader: ProgressReader, failed: readonly string[]): boolean {
  return TRANSIENT.test(reader.other.join("\n")) || failed.some((t) => TRANSIENT.test(reader.logOf(t)));
}

function seconds(from: string | undefined, to: string | undefined): number {
  return from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : 0;
}

export async function buildCommand(opts: BuildOptions, io: Io): Promise<number> {
  const t0 = Date.now();
  if (opts.only && !opts.push) throw new UserError("--only needs --push: the parents it does not build come from the registry");
  const { plan: p, tree, graph } = await makePlan(opts, opts.push ? (m) => ({ DALEC_BAKE_IMAGE_PREFIX: `${m.registry}/` }) : undefined);
  if (opts.push && !tree.matrix.registry) throw new UserError(`--push: ${tree.origin} names no registry (add e.g. "registry: 127.0.0.1:5000/<name>")`);
  const report = writeTree(tree.outDir, tree.files, false);
  if (report.written.length || report.removed.length) io.stderr(`dalec-bake: ${relative(io.cwd, tree.outDir) || "."}: ${report.written.length} written, ${report.removed.length} removed\n`);
  const files = new RunFiles(join(tree.outDir, "logs"));
  files.reset();
  // Pushed nodes by digest: what earlier jobs of this run recorded, then what this build pushes.
  // Without a run id, only this build's own records: nothing says an old one is still current.
  const digestDir = digestDirOf(tree.outDir);
  const run = opts.env.DALEC_BAKE_RUN || undefined;
  const digests = opts.push && run ? readDigests(digestDir, run) : new Map<string, string>();
  const policy: HandoffPolicy = opts.push
    ? { kind: "registry", repository: tree.matrix.registry!, run, digests }
    : { kind: "local", dir: files.path("handoff") };
  // The gha cache needs the runtime token GitHub gives a job (exposed to buildx by the workflow).
  const ghaCache = tree.matrix.cache.gha && !!opts.env.ACTIONS_RUNTIME_TOKEN;
  const renderer = new ChunkRenderer(graph, p, policy, { ghaCache });
  const total = p.nodes.length;
  let finished = 0;
  let running = 0;
  const metadata: Record<string, unknown> = {};
  const elapsed = () => `${Math.round((Date.now() - t0) / 1000)}s`;
  const status = (line: string) => {
    if (io.tty) io.stderr(`\r\x1b[K${line}`);
  };
  const say = (line: string) => {
    if (io.tty) io.stderr("\r\x1b[K");
    io.stderr(`${line}\n`);
  };
  say(`dalec-bake: building ${total} targets in ${p.chunks.length} bake invocation${p.chunks.length === 1 ? "" : "s"} (at most ${opts.jobs} at once)`);


  const runChunk = async (chunk: Chunk, targets: string[], attempt: number): Promise<ChunkRun> => {
    const file = renderer.render(chunk, targets);
    const base = `chunk-${String(chunk.index + 1).padStart(3, "0")}${attempt > 1 ? `-try${attempt}` : ""}`;
    const bakeFile = files.write(`${base}.json`, file.json);
    const metaFile = files.path(`${base}.metadata.json`);
    const raw: string[] = [];
    let steps = 0;
    const reader = new ProgressReader(
      new Set(file.targets),
      () => {
        steps++;
        status(`[${finished}/${total} done, ${running} running, ${elapsed()}] invocation ${chunk.index + 1}/${p.chunks.length}: ${steps} steps`);
      },
      (label, stage) => renderer.ownerOf(label, stage),
    );
    clearPrefetchFolders(tree.outDir, targets.flatMap((t) => (graph.nodes.get(t)?.stage === "prefetch" ? [localOutput(graph.nodes.get(t)!.target) ?? ""] : [])).filter(Boolean));
    running += targets.length;
    say(`dalec-bake: invocation ${chunk.index + 1}/${p.chunks.length} (level ${chunk.level}): ${targets.length} targets${attempt > 1 ? `, try ${attempt}` : ""}`);
    const r = await spawn("docker", ["buildx", "bake", "-f", bakeFile, "--progress=rawjson", "--metadata-file", metaFile, ...file.targets], {
      cwd: tree.outDir,
      env: opts.push ? { ...opts.env, DALEC_BAKE_IMAGE_PREFIX: `${tree.matrix.registry}/` } : opts.env,
      signal: io.signal,
      onStderrLine: (l) => {
        raw.push(l);
        reader.line(l);
      },
    });
    running -= targets.length;
    files.write(`${base}.progress.json`, `${raw.join("\n")}\n`);
    const per = new Map<string, { executed: boolean; seconds: number }>();
    for (const t of targets) {
      const own = [...reader.steps.values()].filter((s) => s.target === t);
      // Time is what the target's own work took: cached steps report the times of the build
      // that made them.
      const ran = own.filter((s) => !s.cached);
      const starts = ran.map((s) => s.started).filter((x): x is string => !!x).sort();
      const ends = ran.map((s) => s.completed).filter((x): x is string => !!x).sort();
      per.set(t, { executed: ran.some((s) => /\] (RUN|COPY|ADD) /.test(s.name)), seconds: seconds(starts[0], ends.at(-1)) });
      files.write(`${t}.log`, reader.logOf(t));
    }
    let meta: unknown;
    try {
      meta = JSON.parse(readFileSync(metaFile, "utf8"));
      Object.assign(metadata, meta);
    } catch {
      // a failed invocation may write no metadata
    }
    if (opts.push)
      for (const [t, ref] of digestRefsOf(meta)) {
        digests.set(t, ref);
        // A record on disk is for other jobs of the same run; without a run it would never be read.
        if (run) writeDigest(digestDir, tagOf(t), { node: t, ref, run });
      }
    // A handoff target's failure is its node's: the node is built again with it.
    const failed = [...new Set(reader.failedTargets().map((t) => renderer.nodeOf(t)))];
    if (r.exitCode !== 0 && !r.aborted) {
      const tail = reader.other.slice(-15).join("\n");
      say(`dalec-bake: invocation ${chunk.index + 1} failed (exit ${r.exitCode})${failed.length ? `: ${failed.join(", ")}` : ""}\n${tail}`);
      // The shared nodes name a spec field, not its line: the tree says where it is written.
      const log = failed.map((t) => reader.logOf(t)).join("\n");
      for (const l of specLines(tree.files.get(SPEC_FIELDS) ?? "", log)) {
        const path = l.at.replace(/:\d+:\d+$/, "");
        say(`dalec-bake: ${relative(io.cwd, join(tree.outDir, path))}${l.at.slice(path.length)}: ${l.message}`);
      }
    }
    return { exitCode: r.exitCode, failed, transient: r.exitCode !== 0 && transient(reader, failed), aborted: r.aborted, targets: per };
  };

  const onChunkDone = (chunk: Chunk, results: Map<string, TargetResult>) => {
    finished += results.size;
    if (!io.tty) for (const [t, r] of results) say(`${r.outcome.padEnd(7)} ${t}${r.seconds ? ` (${r.seconds.toFixed(1)}s)` : ""}`);
    status(`[${finished}/${total} done, ${running} running, ${elapsed()}] invocation ${chunk.index + 1} finished`);
  };

  const results = await runPlan(p, opts.jobs, opts.keepGoing, { runChunk, onChunkDone }, io.signal);
  files.write("metadata.json", `${JSON.stringify(metadata, null, 2)}\n`);
  const summary = renderSummary(p, results, (Date.now() - t0) / 1000, relative(io.cwd, files.dir) || ".");
  files.write("summary.txt", summary);
  say("");
  io.stdout(summary);
  if (io.signal?.aborted) return 130;
  const t = tally(results);
  return t.failed || t.skipped || t.stopped ? 1 : 0;
}
