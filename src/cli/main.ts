#!/usr/bin/env node
// The CLI entry: parses arguments, runs one command, and is the one place errors are caught.
import { realpathSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UserError } from "../errors.js";
import { generate } from "./gen.js";
import { graphCommand, planCommand } from "./plan.js";
import { buildCommand } from "./build.js";
import { lintCommand } from "./lint.js";
import { schemaCommand } from "./schema.js";
import { matrixCommand, workflowCommand } from "./ci.js";

const USAGE = `Usage: dalec-bake <command> [options]

Commands:
  gen [SPEC...]      Generate docker-bake.hcl, Dockerfile.* and build scripts from Dalec specs
                     and a matrix file.
  lint [SPEC...]     Check specs and the matrix file as gen does, writing nothing.
  schema [spec|matrix]
                     Print a JSON Schema for spec files (default) or the matrix file.
  plan [TARGET...]   Show what a build of the targets needs: nodes per stage, shared nodes,
                     levels and bake invocations. --json prints a versioned document.
  graph [TARGET...]  Print the targets' graph: --format dot (default), mermaid or json.
  build [TARGET...]  Generate, then build the targets in chunks of bake invocations, level by
                     level, handing parents from one invocation to the next.
  matrix [TARGET...] Print a GitHub Actions matrix ({"include": [...]}): one job per shard of a
                     level, on a runner of its arch, with the command it runs (--merge: the
                     multi-arch images to join).
  workflow           Write .github/workflows/dalec-bake.yml, which runs those jobs level by level.

TARGET is a target or group of the tree (default: default). Vectors are chosen by the same
environment variables as docker-bake.hcl: distros='["bookworm"]', arch=arm64, ...

Options:
  -c, --config FILE    matrix file (default: dalec-bake.yaml when no SPEC is given)
  -o, --out DIR        output folder (default: .)
  -t, --template NAME=VALUE
                       a Handlebars variable for the matrix file (repeatable)
      --check          gen: write nothing; exit 1 and name the files that are out of date
      --json           plan: print JSON
      --since GIT_REF  plan: list only the nodes affected by changes since GIT_REF
      --format FORMAT  graph: dot, mermaid or json
      --chunk N        plan, build, matrix: at most N targets per bake invocation (default: a
                       tree of up to 100 targets in one, a larger one in chunks of 50)
  -j, --jobs N         build: bake invocations at once (default: 1)
  -k, --keep-going     build: build everything that does not depend on a failure
      --push           build: push images to the matrix file's registry, and hand parents
                       between invocations through it (as CI jobs on other machines need)
      --only           build --push: only the targets named, their parents from the registry
      --level N        matrix: only the jobs of level N
      --runner ARCH=LABEL[,ARCH=LABEL]
                       matrix, workflow: runner label per arch (default: ubuntu-latest)
      --merge          matrix: the multi-arch images to join instead of build jobs
      --invoke CMD     matrix, workflow: how jobs run dalec-bake (default: npx --yes dalec-bake@VERSION)
  -h, --help           show this help
`;

export interface Io {
  cwd: string;
  arch: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stderr is a terminal (live progress) or a log (plain lines). */
  tty?: boolean;
  /** Aborted on Ctrl-C: a build stops its child processes. */
  signal?: AbortSignal;
}

function templateVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UserError(`-t expects NAME=VALUE, found "${p}"`);
    vars[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return vars;
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UserError(`${flag}: expected a whole number of at least 1, found "${text}"`);
  return n;
}

export const DEFAULT_CHUNK = 50;
const WHOLE_TREE = 100;

const COMMANDS = ["gen", "lint", "schema", "plan", "graph", "build", "matrix", "workflow"];

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === "-h" || command === "--help" || command === "help") {
      io.stdout(USAGE);
      return command ? 0 : 1;
    }
    if (!COMMANDS.includes(command)) throw new UserError(`unknown command "${command}" (expected: ${COMMANDS.join(", ")})\n\n${USAGE}`);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        out: { type: "string", short: "o", default: "." },
        template: { type: "string", short: "t", multiple: true, default: [] },
        check: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        since: { type: "string" },
        format: { type: "string", default: "dot" },
        chunk: { type: "string" },
        jobs: { type: "string", short: "j" },
        "keep-going": { type: "boolean", short: "k", default: false },
        push: { type: "boolean", default: false },
        only: { type: "boolean", default: false },
        level: { type: "string" },
        runner: { type: "string" },
        merge: { type: "boolean", default: false },
        invoke: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const load = { cwd: io.cwd, arch: io.arch, config: values.config, out: values.out, vars: templateVars(values.template) };
    if (command === "schema") return schemaCommand(positionals[0], io.stdout);
    if (command === "lint") return await lintCommand({ ...load, specs: positionals }, io);
    // Each target syncs up to three local contexts; in a 1,021-target tree, chunks of 100 hit
    // BuildKit's session deadline on the docker driver here, chunks of 50 never (bench/RESULTS.md).
    // A tree of up to 100 targets still goes in one invocation, as plain bake would run it (its
    // 99-target bench passed every time).
    const chunk = positiveInt("--chunk", values.chunk, DEFAULT_CHUNK);
    const whole = values.chunk === undefined ? WHOLE_TREE : undefined;
    if (command === "plan") return await planCommand({ ...load, targets: positionals, env: io.env, chunk, whole, json: values.json, since: values.since }, io);
    if (command === "graph") {
      const format = values.format;
      if (format !== "dot" && format !== "mermaid" && format !== "json") throw new UserError(`--format: expected dot, mermaid or json, found "${format}"`);
      return await graphCommand({ ...load, targets: positionals, env: io.env, chunk, format }, io);
    }
    if (command === "matrix" || command === "workflow") {
      if (values.level !== undefined && !/^\d+$/.test(values.level)) throw new UserError(`--level: expected a whole number (0 for the roots), found "${values.level}"`);
      const level = values.level === undefined ? undefined : Number(values.level);
      // Jobs run from the repository's root with the same matrix file and output folder.
      const passArgs = [values.config ? `--config ${values.config}` : "", values.out !== "." ? `--out ${values.out}` : ""].filter(Boolean).join(" ");
      const ci = { ...load, targets: positionals, env: io.env, chunk, level, merge: values.merge, runners: values.runner, invoke: values.invoke, passArgs };
      return await (command === "matrix" ? matrixCommand(ci, io) : workflowCommand(ci, io));
    }
    if (command === "build") {
      const jobs = positiveInt("--jobs", values.jobs, 1);
      return await buildCommand({ ...load, targets: positionals, env: io.env, chunk, whole, jobs, keepGoing: values["keep-going"], push: values.push, only: values.only }, io);
    }
    const { outDir, report } = await generate({ ...load, specs: positionals, check: values.check });
    const where = relative(io.cwd, outDir) || ".";
    if (values.check) io.stderr(`dalec-bake: ${where} is up to date\n`);
    else io.stderr(`dalec-bake: ${where}: ${report.written.length} written, ${report.removed.length} removed, ${report.unchanged} unchanged\n`);
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr(`dalec-bake: ${e.render()}\n`);
      return 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`dalec-bake: ${e.message}\n\n${USAGE}`);
      return 1;
    }
    io.stderr(`dalec-bake: internal error, please report it:\n${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

function isEntry(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  const abort = new AbortController();
  // Ctrl-C: stop every child process, then exit 130 (128 + SIGINT).
  process.once("SIGINT", () => abort.abort());
  process.once("SIGTERM", () => abort.abort());
  const code = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    arch: process.arch,
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    tty: process.stderr.isTTY === true,
    signal: abort.signal,
  });
  process.exitCode = code;
}
