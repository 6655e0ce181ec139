// The whole output folder as an in-memory map, path -> content. Nothing here touches the disk.
import type { Matrix } from "../matrix/model.js";
import type { LoadedSpec } from "../spec/load.js";
import { vectors } from "../graph/vectors.js";
import { UserError } from "../errors.js";
import { PREFETCH_GROUP, blocks } from "../graph/blocks.js";
import type { Block } from "../graph/blocks.js";
import { renderBakeHcl } from "./bake-hcl.js";
import { renderBakeSh } from "./bake-sh.js";
import { expandGraph } from "../graph/expand.js";
import { renderTreeMd } from "./tree-md.js";
import { STAMP } from "./shell.js";
import { renderSpecFiles } from "./spec-files.js";
import { SPEC_FIELDS, renderSpecFields } from "./spec-fields.js";
import type { BuildContext } from "./spec-files.js";

export interface TreeInput {
  matrix: Matrix;
  specs: readonly LoadedSpec[];
  /** The library files shipped in dockerfiles/, path relative to it -> content. */
  library: ReadonlyMap<string, string>;
  contextPath: string;
  /** `specPaths[i]`: the file of `specs[i]`, relative to the output folder. */
  specPaths: readonly string[];
  /** The matrix file's named build contexts: name -> folder relative to the output folder. */
  namedContextPaths: Readonly<Record<string, string>>;
  /** Reads the disk for the `context` sources: whether a path of the build context exists. */
  context: BuildContext;
  origin: string;
}

const GROUPS = new Set(["default", "system", "packages", "images", "tests", "tests-smoke", PREFETCH_GROUP]);

export interface RenderedTree {
  /** Path relative to the output folder -> content, sorted by path. */
  files: Map<string, string>;
  /** The targets, described once for the HCL and for dalec-bake's own evaluation. */
  blocks: Block[];
}

export function renderTree(input: TreeInput): RenderedTree {
  const leaves = vectors(input.matrix);
  if (!leaves.length) throw new UserError(`${input.origin}: the excludes leave no vector to build`);
  const specs = input.specs.map((s) => renderSpecFiles(s, input.matrix, leaves, input.context, input.library));
  const seen = new Map<string, string>();
  specs.forEach((s, i) => {
    const file = input.specs[i]!.file;
    const other = seen.get(s.id);
    if (other) throw new UserError(`${file}: package "${s.name}" has the same target name "${s.id}" as ${other}`);
    if (GROUPS.has(s.id)) throw new UserError(`${file}: package name "${s.name}" clashes with the bake group "${s.id}"`);
    seen.set(s.id, file);
  });
  const tree = new Map<string, string>();
  const all = blocks(input.matrix, specs, input.contextPath, input.namedContextPaths);
  tree.set("docker-bake.hcl", renderBakeHcl({ matrix: input.matrix, specs, blocks: all, origin: input.origin, stamp: STAMP }));
  tree.set("bake.sh", renderBakeSh(all.some((b) => b.stage === "prefetch")));
  tree.set(SPEC_FIELDS, renderSpecFields(input.specs, input.specPaths));
  // Every vector, as bake evaluates the file with no variable set.
  tree.set("TREE.md", renderTreeMd(input.matrix, all, expandGraph(input.matrix, all, { env: {}, localPlatform: "linux/amd64" }), STAMP));
  for (const [path, content] of input.library) tree.set(`dockerfiles/${path}`, stampLibrary(content));
  for (const s of specs) for (const [path, content] of s.files) tree.set(`gen/${s.id}/${path}`, content);
  return { files: new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), blocks: all };
}

function stampLibrary(content: string): string {
  if (content.startsWith("#!")) {
    const nl = content.indexOf("\n");
    return `${content.slice(0, nl + 1)}# ${STAMP}\n${content.slice(nl + 1)}`;
  }
  return `# ${STAMP}\n${content}`;
}
