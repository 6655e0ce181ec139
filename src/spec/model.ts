// What a spec resolves to for one leaf of the matrix (spec x distro x arch x variant): every
// arg substituted, per-distro targets merged, command lines split. Renderers read only this.
import type { Location } from "../errors.js";

export type ResolvedSource =
  | { name: string; kind: "inline-file"; contents: string; mode: number }
  | { name: string; kind: "inline-dir"; mode: number; files: { name: string; contents: string; mode: number }[] }
  | { name: string; kind: "context"; path: string; includes: string[]; excludes: string[] };

export interface Dependency {
  name: string;
  /** Debian relation constraints, already in Debian syntax (`>= 1.0`, `<< 2`). */
  version: string[];
  arch: string[];
}

export type ArtifactKind = "binaries" | "manpages" | "docs" | "configFiles";

export interface Artifact {
  kind: ArtifactKind;
  /** Path relative to the build root; may be a glob. */
  src: string;
  /** Absolute directory it installs into. */
  dir: string;
  /** File name, or "" for the source's own base name. */
  name: string;
  mode: number | undefined;
}

export type Check = {
  equals?: string;
  contains?: string[];
  matches?: string[];
  starts_with?: string;
  ends_with?: string;
  empty?: boolean;
};

export interface FileCheck extends Check {
  path: string;
  permissions?: number;
  is_dir?: boolean;
  not_exist?: boolean;
  where: Location;
}

export interface TestStep {
  argv: string[];
  env: [string, string][];
  stdin: string | undefined;
  stdout: Check | undefined;
  stderr: Check | undefined;
  where: Location;
}

export interface ResolvedTest {
  name: string;
  env: [string, string][];
  steps: TestStep[];
  files: FileCheck[];
  where: Location;
}

export interface ResolvedImage {
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  env: string[];
  labels: [string, string][];
  workingDir: string | undefined;
  user: string | undefined;
}

export interface ResolvedSpec {
  name: string;
  description: string;
  website: string;
  license: string;
  vendor: string;
  packager: string;
  version: string;
  revision: string;
  noarch: boolean;
  sources: ResolvedSource[];
  buildEnv: [string, string][];
  steps: { command: string; env: [string, string][] }[];
  deps: { build: Dependency[]; runtime: Dependency[]; test: Dependency[] };
  artifacts: Artifact[];
  image: ResolvedImage;
  tests: ResolvedTest[];
}
