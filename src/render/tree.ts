// The whole output folder as an in-memory map, path -> content. Nothing here touches the disk.
import type { Matrix } from "../matrix/model.js";
import type { LoadedSpec } from "../spec/load.js";
import { vectors } from "../graph/vectors.js";
import { UserError } from "../errors.js";
import { renderBakeHcl } from "./bake-hcl.js";
import { renderBakeSh } from "./bake-sh.js";
import { STAMP } from "./shell.js";
import { renderSpecFiles } from "./spec-files.js";
import type { ContextProbe } from "./spec-files.js";

export interface TreeInput {
  matrix: Matrix;
  specs: readonly LoadedSpec[];
  /** The library files shipped in dockerfiles/, path relative to it -> content. */
  library: ReadonlyMap<string, string>;
  contextPath: string;
  /** Reads the disk for the `context` sources: whether a path of the build context exists. */
  probe: ContextProbe;
  origin: string;
}

const GROUPS = new Set(["default", "system", "packages", "images", "tests", "tests-smoke"]);

export function renderTree(input: TreeInput): Map<string, string> {
  const leaves = vectors(input.matrix);
  if (!leaves.length) throw new UserError(`${input.origin}: the excludes leave no vector to build`);
  const specs = input.specs.map((s) => renderSpecFiles(s, input.matrix, leaves, input.probe));
  const seen = new Map<string, string>();
  specs.forEach((s, i) => {
    const file = input.specs[i]!.file;
    const other = seen.get(s.id);
    if (other) throw new UserError(`${file}: package "${s.name}" has the same target name "${s.id}" as ${other}`);
    if (GROUPS.has(s.id)) throw new UserError(`${file}: package name "${s.name}" clashes with the bake group "${s.id}"`);
    seen.set(s.id, file);
  });
  const tree = new Map<string, string>();
  tree.set("docker-bake.hcl", renderBakeHcl({ matrix: input.matrix, specs, contextPath: input.contextPath, origin: input.origin, stamp: STAMP }));
  tree.set("bake.sh", renderBakeSh());
  for (const [path, content] of input.library) tree.set(`dockerfiles/${path}`, stampLibrary(content));
  for (const s of specs) for (const [path, content] of s.files) tree.set(`gen/${s.id}/${path}`, content);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function stampLibrary(content: string): string {
  if (content.startsWith("#!")) {
    const nl = content.indexOf("\n");
    return `${content.slice(0, nl + 1)}# ${STAMP}\n${content.slice(nl + 1)}`;
  }
  return `# ${STAMP}\n${content}`;
}
