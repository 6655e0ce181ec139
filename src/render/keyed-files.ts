// One generated file per distinct content, named by only the coordinates it depends on: a build
// script that differs by variant alone is `build--release.sh` and `build--debug.sh`, shared by
// every distro and arch. The bake file derives the name from a target's coordinates.
import type { Vector } from "../matrix/model.js";
import { vectorKey } from "../graph/vectors.js";

export interface KeyedFile {
  base: string;
  ext: string;
  /** The coordinates the content depends on, in matrix order. */
  coords: string[];
}

export function fileName(f: KeyedFile, v: Vector): string {
  return `${f.base}${f.coords.map((c) => `--${v[c]}`).join("")}${f.ext}`;
}

/**
 * Finds the fewest coordinates that determine the content, dropping user axes first, then arch,
 * then distro. `contents[i]` is the content for `leaves[i]`.
 */
export function keyFiles(
  base: string,
  ext: string,
  coords: readonly string[],
  leaves: readonly Vector[],
  contents: readonly string[],
): { file: KeyedFile; files: Map<string, string> } {
  let keep = [...coords];
  for (const c of [...coords].reverse()) {
    const candidate = keep.filter((k) => k !== c);
    if (determines(candidate, leaves, contents)) keep = candidate;
  }
  const file: KeyedFile = { base, ext, coords: keep };
  const files = new Map<string, string>();
  leaves.forEach((v, i) => files.set(fileName(file, v), contents[i]!));
  return { file, files };
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
