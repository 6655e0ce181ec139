// One folder per distinct content, named by only the coordinates it depends on: build scripts
// that differ by variant alone live in `build--release/` and `build--debug/`, shared by every
// distro and arch. Each folder is the build context of the nodes that use it, so a change to
// one variant's files never touches the context of another's nodes. The bake file derives the
// folder from a target's coordinates.
import type { Vector } from "../matrix/model.js";
import { vectorKey } from "../graph/vectors.js";

export interface KeyedFolder {
  base: string;
  /** The coordinates the content depends on, in matrix order. */
  coords: string[];
}

export function folderName(f: KeyedFolder, v: Vector): string {
  return `${f.base}${f.coords.map((c) => `--${v[c]}`).join("")}`;
}

/**
 * Finds the fewest coordinates that determine the content, dropping user axes first, then arch,
 * then distro. `contents[i]` (file name -> text) is the folder's content for `leaves[i]`.
 */
export function keyFolders(
  base: string,
  coords: readonly string[],
  leaves: readonly Vector[],
  contents: readonly ReadonlyMap<string, string>[],
): { folder: KeyedFolder; files: Map<string, string> } {
  const flat = contents.map((m) => JSON.stringify([...m]));
  let keep = [...coords];
  for (const c of [...coords].reverse()) {
    const candidate = keep.filter((k) => k !== c);
    if (determines(candidate, leaves, flat)) keep = candidate;
  }
  const folder: KeyedFolder = { base, coords: keep };
  const files = new Map<string, string>();
  leaves.forEach((v, i) => {
    for (const [name, text] of contents[i]!) files.set(`${folderName(folder, v)}/${name}`, text);
  });
  return { folder, files };
}

function determines(coords: readonly string[], leaves: readonly Vector[], contents: readonly string[]): boolean {
  const seen = new Map<string, string>();
  for (let i = 0; i < leaves.length; i++) {
    const key = vectorKey(leaves[i]!, coords);
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, contents[i]!);
    else if (prev !== contents[i]) return false;
  }
  return true;
}
