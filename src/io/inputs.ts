// Reads what the user wrote: the matrix file (or none), the spec files it names, and hands the
// pure stages their text. Every path shown to the user is relative to the matrix file's folder.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { globSync } from "tinyglobby";
import { nativeArch } from "../distros.js";
import { UserError } from "../errors.js";
import { defaultMatrix, parseMatrix, resolveMatrix } from "../matrix/load.js";
import type { Matrix } from "../matrix/model.js";
import { parseSourceFilter } from "../matrix/source-filter.js";
import { parseSpec } from "../spec/load.js";
import type { LoadedSpec } from "../spec/load.js";

export const DEFAULT_CONFIG = "dalec-bake.yaml";

export interface InputOptions {
  cwd: string;
  config: string | undefined;
  specs: readonly string[];
  vars: Readonly<Record<string, string>>;
  arch: string;
}

export interface Inputs {
  matrix: Matrix;
  specs: LoadedSpec[];
  /** What the output was generated from, for the header of docker-bake.hcl. */
  origin: string;
  /** The folder displayed paths are relative to. */
  base: string;
}

async function readText(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `${shown}: file not found` : `${shown}: cannot read (${code})`);
  }
}

export async function loadInputs(opts: InputOptions): Promise<Inputs> {
  const arch = nativeArch(opts.arch);
  const configPath = opts.config ?? (opts.specs.length === 0 && existsSync(resolve(opts.cwd, DEFAULT_CONFIG)) ? DEFAULT_CONFIG : undefined);
  let matrix: Matrix;
  let base = opts.cwd;
  let origin: string;
  if (configPath) {
    const abs = resolve(opts.cwd, configPath);
    base = dirname(abs);
    const shown = relative(opts.cwd, abs) || configPath;
    const doc = parseMatrix(await readText(abs, shown), shown, opts.vars);
    const specFiles = doc.input.specs.map((p) => globSync(p, { cwd: base, absolute: true, onlyFiles: true }).sort());
    matrix = resolveMatrix(doc, abs, specFiles, arch);
    if (doc.input.source_filter !== undefined) {
      const filterAbs = resolve(base, doc.input.source_filter);
      const filterShown = relative(opts.cwd, filterAbs) || doc.input.source_filter;
      if (!existsSync(filterAbs)) {
        const loc = doc.map.locate(["source_filter"]);
        throw new UserError(`source_filter: expected a source filter file, found no file "${doc.input.source_filter}" beside the matrix file`, loc, doc.map.frame(loc));
      }
      matrix = { ...matrix, globalExcludes: parseSourceFilter(await readText(filterAbs, filterShown), filterShown) };
    }
    if (opts.specs.length) matrix = { ...matrix, specs: opts.specs.map((s) => resolve(opts.cwd, s)) };
    origin = relative(base, abs);
  } else {
    if (!opts.specs.length) {
      throw new UserError(`nothing to generate: name spec files, or write a ${DEFAULT_CONFIG} (or pass --config FILE)`);
    }
    matrix = defaultMatrix(opts.specs.map((s) => resolve(opts.cwd, s)), arch, opts.cwd);
    origin = opts.specs.map((s) => relative(opts.cwd, resolve(opts.cwd, s))).join(", ");
  }
  const specs = await Promise.all(
    matrix.specs.map(async (abs) => {
      const shown = relative(base, abs);
      return parseSpec(await readText(abs, relative(opts.cwd, abs) || shown), shown);
    }),
  );
  return { matrix, specs, origin, base };
}
