#!/usr/bin/env node
// The CLI entry: parses arguments, runs one command, and is the one place errors are caught.
import { realpathSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UserError } from "../errors.js";
import { generate } from "./gen.js";

const USAGE = `Usage: dalec-bake <command> [options]

Commands:
  gen [SPEC...]   Generate docker-bake.hcl, Dockerfile.* and build scripts from Dalec specs
                  and a matrix file.

Options for gen:
  -c, --config FILE    matrix file (default: dalec-bake.yaml when no SPEC is given)
  -o, --out DIR        output folder (default: .)
  -t, --template NAME=VALUE
                       a Handlebars variable for the matrix file (repeatable)
      --check          write nothing; exit 1 and name the files that are out of date
  -h, --help           show this help
`;

export interface Io {
  cwd: string;
  arch: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
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

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === "-h" || command === "--help" || command === "help") {
      io.stdout(USAGE);
      return command ? 0 : 1;
    }
    if (command !== "gen") throw new UserError(`unknown command "${command}" (expected: gen)\n\n${USAGE}`);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        out: { type: "string", short: "o", default: "." },
        template: { type: "string", short: "t", multiple: true, default: [] },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const { outDir, report } = await generate({
      cwd: io.cwd,
      arch: io.arch,
      config: values.config,
      specs: positionals,
      out: values.out,
      vars: templateVars(values.template),
      check: values.check,
    });
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
  const code = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    arch: process.arch,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
  process.exitCode = code;
}
