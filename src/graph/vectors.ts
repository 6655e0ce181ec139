// The matrix as points: distro x arch x each user axis, minus the excludes.
import type { Matrix, Vector } from "../matrix/model.js";

/** Coordinate names in their fixed order: distro, arch, then the user axes as written. */
export function coordinates(m: Matrix): string[] {
  return ["distro", "arch", ...m.axes.map((a) => a.name)];
}

/** The plural variable of a coordinate: `distros`, `arches`, `variants`. */
export function pluralOf(coord: string): string {
  if (coord === "arch") return "arches";
  return coord.endsWith("s") ? `${coord}_list` : `${coord}s`;
}

export function domains(m: Matrix): Record<string, string[]> {
  const d: Record<string, string[]> = { distro: m.distros.map((x) => x.name), arch: [...m.arches] };
  for (const a of m.axes) d[a.name] = a.values.map((v) => v.name);
  return d;
}

export function isExcluded(m: Matrix, v: Vector): boolean {
  return m.exclude.some((e) => Object.entries(e).every(([k, val]) => v[k] === val));
}

export function vectors(m: Matrix): Vector[] {
  const dom = domains(m);
  let out: Record<string, string>[] = [{}];
  for (const c of coordinates(m)) {
    out = out.flatMap((partial) => dom[c]!.map((val) => ({ ...partial, [c]: val })));
  }
  return out.filter((v) => !isExcluded(m, v));
}

/** Build args a vector passes to the specs: the union of its axis values' args. */
export function vectorArgs(m: Matrix, v: Vector): Record<string, string> {
  const args: Record<string, string> = {};
  for (const a of m.axes) Object.assign(args, a.values.find((x) => x.name === v[a.name])?.args);
  return args;
}

export function vectorKey(v: Vector, coords: readonly string[]): string {
  return coords.map((c) => v[c]).join("--");
}
