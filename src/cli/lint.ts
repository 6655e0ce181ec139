// `dalec-bake lint [SPEC...]`: every check gen makes (shape, Dalec's rules, declared args, each
// target of the matrix resolved and rendered), with nothing written.
import { relative } from "node:path";
import type { Io } from "./main.js";
import { loadTree } from "./gen.js";
import type { GenOptions } from "./gen.js";

export async function lintCommand(opts: Omit<GenOptions, "check">, io: Io): Promise<number> {
  const tree = await loadTree(opts);
  for (const spec of tree.matrix.specs) io.stdout(`${relative(io.cwd, spec) || spec}: valid\n`);
  return 0;
}
