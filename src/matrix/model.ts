// The matrix once loaded and checked: what the graph stage expands.
import type { Distro } from "../distros.js";

export interface Axis {
  name: string;
  values: { name: string; args: Record<string, string> }[];
}

export interface Matrix {
  /** The matrix file, or undefined when specs were given alone. */
  file: string | undefined;
  /** Spec files, absolute, in a stable order. */
  specs: string[];
  distros: Distro[];
  arches: string[];
  axes: Axis[];
  /** One value per coordinate: distro, arch, then each axis. */
  defaults: Record<string, string>;
  exclude: Record<string, string>[];
  /** Absolute folder that `context` sources read from. */
  contextDir: string;
  /** Named build contexts (`contexts:`): name -> absolute folder. */
  contexts: Record<string, string>;
  /** The source filter file's `global_excludes` (matrix file's `source_filter`), or none. */
  globalExcludes: string[];
  /** Repository for `build --push` (images and hand-offs between jobs). */
  registry: string | undefined;
  cache: { registry: string | undefined; gha: boolean };
}

/** One point of the matrix: a value for distro, arch and each user axis. */
export type Vector = Readonly<Record<string, string>>;
