// The part of the build context a node reads: the deepest folder that holds every path it uses.
import { posix } from "node:path";
import { UserError } from "../errors.js";
import type { LoadedSpec } from "../spec/load.js";
import type { ContextUse } from "./mounted-sources.js";

/** What a path of the build context is, asked of the disk by the caller. */
export type ContextProbe = (relPath: string) => "dir" | "file" | "missing";

/**
 * The deepest folder of the build context holding every path used: a node mounts only that, so
 * a change elsewhere in the context (the matrix file, the output folder) does not invalidate it.
 */
export function contextRootOf(spec: LoadedSpec, uses: readonly ContextUse[], probe: ContextProbe): string | undefined {
  const roots: string[][] = [];
  for (const u of uses) {
    // `src/` and `./` are src and `.`: the root is a folder name, which .dockerignore's rules
    // are matched under (`src/secret`, never `src//secret`).
    const rel = posix.normalize(u.path).replace(/(.)\/+$/, "$1");
    const fail = (msg: string): never => {
      const loc = spec.map.locate(u.at);
      throw new UserError(msg, loc, spec.map.frame(loc));
    };
    if (posix.isAbsolute(rel) || rel === ".." || rel.startsWith("../")) fail(`${u.label}: path "${u.path}" must stay inside the build context`);
    const kind = probe(rel);
    if (kind === "missing") fail(`${u.label}: "${u.path}" does not exist in the build context`);
    const dir = kind === "dir" ? rel : posix.dirname(rel);
    roots.push(dir === "." ? [] : dir.split("/"));
  }
  if (!roots.length) return undefined;
  const common: string[] = [];
  for (let i = 0; roots.every((r) => r[i] !== undefined && r[i] === roots[0]![i]); i++) common.push(roots[0]![i]!);
  return common.join("/") || ".";
}
