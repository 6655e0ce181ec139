// `dalec-bake gen`: inputs -> tree -> output folder (or a drift report with --check). The other
// commands load the same tree through `loadTree` and then evaluate or build it.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { Block } from "../graph/blocks.js";
import { loadInputs } from "../io/inputs.js";
import { readLibrary } from "../io/library.js";
import type { Matrix } from "../matrix/model.js";
import { renderTree } from "../render/tree.js";
import { writeTree } from "../write/writer.js";
import type { WriteReport } from "../write/writer.js";

export interface GenOptions {
  cwd: string;
  arch: string;
  config: string | undefined;
  specs: readonly string[];
  out: string;
  vars: Readonly<Record<string, string>>;
  check: boolean;
}

export interface LoadedTree {
  matrix: Matrix;
  outDir: string;
  files: Map<string, string>;
  blocks: Block[];
  /** The matrix file, or the spec given alone: what the tree was generated from. */
  origin: string;
}

function probeContext(path: string): "dir" | "file" | "missing" {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return "missing";
  }
}

function readDockerignore(contextDir: string): string[] {
  const file = join(contextDir, ".dockerignore");
  return existsSync(file) ? readFileSync(file, "utf8").split(/\r?\n/) : [];
}

export async function loadTree(opts: Omit<GenOptions, "check">): Promise<LoadedTree> {
  const inputs = await loadInputs(opts);
  const outDir = resolve(opts.cwd, opts.out);
  const rel = (dir: string) => relative(outDir, dir).split("\\").join("/") || ".";
  const contextPath = rel(inputs.matrix.contextDir);
  for (const [name, dir] of Object.entries(inputs.matrix.contexts)) {
    if (probeContext(dir) !== "dir") throw new UserError(`${inputs.origin}: contexts.${name}: "${relative(opts.cwd, dir) || "."}" is not a folder`);
  }
  const { files, blocks } = renderTree({
    matrix: inputs.matrix,
    specs: inputs.specs,
    library: await readLibrary(),
    contextPath,
    specPaths: inputs.matrix.specs.map(rel),
    namedContextPaths: Object.fromEntries(Object.entries(inputs.matrix.contexts).map(([name, dir]) => [name, rel(dir)])),
    context: {
      probe: (rel) => probeContext(join(inputs.matrix.contextDir, rel)),
      dockerignore: readDockerignore(inputs.matrix.contextDir),
    },
    origin: inputs.origin,
  });
  return { matrix: inputs.matrix, outDir, files, blocks, origin: inputs.origin };
}

export async function generate(opts: GenOptions): Promise<{ outDir: string; report: WriteReport }> {
  const tree = await loadTree(opts);
  return { outDir: tree.outDir, report: writeTree(tree.outDir, tree.files, opts.check) };
}
