// `dalec-bake gen`: inputs -> tree -> output folder (or a drift report with --check).
import { statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadInputs } from "../io/inputs.js";
import { readLibrary } from "../io/library.js";
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

function probeContext(path: string): "dir" | "file" | "missing" {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return "missing";
  }
}

export async function generate(opts: GenOptions): Promise<{ outDir: string; report: WriteReport }> {
  const inputs = await loadInputs(opts);
  const outDir = resolve(opts.cwd, opts.out);
  const contextPath = relative(outDir, inputs.matrix.contextDir).split("\\").join("/") || ".";
  const tree = renderTree({
    matrix: inputs.matrix,
    specs: inputs.specs,
    library: await readLibrary(),
    contextPath,
    probe: (rel) => probeContext(join(inputs.matrix.contextDir, rel)),
    origin: inputs.origin,
  });
  return { outDir, report: writeTree(outDir, tree, opts.check) };
}
