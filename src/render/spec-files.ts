// Everything generated for one spec: its sources, and for every leaf of the matrix its build
// script, package control file, image Dockerfile, tests and dependency lists, each stored once
// per distinct content (see keyed-files.ts).
import { UserError } from "../errors.js";
import type { Distro } from "../distros.js";
import { coordinates, vectorArgs } from "../graph/vectors.js";
import type { Matrix, Vector } from "../matrix/model.js";
import type { LoadedSpec } from "../spec/load.js";
import { posix } from "node:path";
import type { ResolvedSource, ResolvedSpec } from "../spec/model.js";
import { resolveSpec } from "../spec/resolve.js";
import { BAZELRC_FILE, renderBuildDockerfile } from "./build-dockerfile.js";
import { renderBuildScript } from "./build-script.js";
import { renderChangelog, renderControl, renderCopyright, renderPackageList, renderPkgOptions } from "./debian-control.js";
import { renderMaintainerScripts } from "./maintainer-scripts.js";
import { renderRpmSpec } from "./rpm-spec.js";
import { renderImageDockerfile } from "./image-dockerfile.js";
import { keyFolders } from "./keyed-files.js";
import type { KeyedFolder } from "./keyed-files.js";
import { gitMounts, renderFetch } from "./fetch-dockerfile.js";
import type { Fetched } from "./fetch-dockerfile.js";
import { SECRET_SLOTS, renderSources, secretSlots } from "./sources-script.js";
import { renderTestScript } from "./test-script.js";

/** What a path of the build context is, asked of the disk by the caller. */
export type ContextProbe = (relPath: string) => "dir" | "file" | "missing";

/** What gen reads of the user's build context: what its paths are, and its .dockerignore. */
export interface BuildContext {
  probe: ContextProbe;
  /** The lines of the context's .dockerignore ([] without one). */
  dockerignore: readonly string[];
}

export interface SpecFiles {
  /** Target-name segment: the package name made safe for bake target names. */
  id: string;
  name: string;
  /** Paths relative to the spec's generated folder. */
  files: Map<string, string>;
  /** Per node kind, the folder (build context) its nodes use. */
  refs: Record<Kind, KeyedFolder>;
  /** The part of the build context the spec's `context` sources read, or undefined if none. */
  contextRoot: string | undefined;
  /** Whether build steps have a network (build.network_mode: sandbox). */
  network: "none" | "sandbox";
  /** Git auth secret names, in slot order (the sources node's dalec-secret-1..). */
  secrets: string[];
  /** Whether the build node uses its folder's own Dockerfile (cache mounts) over the library's. */
  ownBuildDockerfile: boolean;
  /** Whether a build step runs sccache (rustsccache): DALEC_BAKE_SCCACHE can supply the binary. */
  sccache: boolean;
  /** Whether a build step has a bazel cache: DALEC_BAKE_BAZEL_SOCKET can forward a remote cache. */
  bazel: boolean;
  /** Whether the sources node runs dependency generators (it then needs the newest toolchains). */
  generators: boolean;
  /** The fetch node, for a spec with image or build sources (its folder: fetch/). */
  fetch: { contextRoot: string | undefined; nested: Extract<Fetched, { kind: "build" }>[]; git: [string, string][] } | undefined;
}

type Kind = "deps" | "build" | "pkg" | "image" | "test";

const KINDS: [Kind, (r: ResolvedSpec, d: Distro) => [string, string][]][] = [
  ["deps", (r, d) => [["build-deps.txt", renderPackageList(r.deps.build, d.family)]]],
  ["build", (r, d) => [["build.sh", renderBuildScript(r, d.unitDir)]]],
  [
    "pkg",
    (r, d) => d.family === "rpm" ? [["package.spec", renderRpmSpec(r)]] : [
      ["control", renderControl(r, d)],
      ["copyright", renderCopyright(r)],
      ["changelog", renderChangelog(r, d)],
      ["options", renderPkgOptions(r)],
      ...renderMaintainerScripts(r),
    ],
  ],
  ["image", (r, d) => [["Dockerfile", renderImageDockerfile(r.image, d.family)]]],
  ["test", (r, d) => [["test.sh", renderTestScript(r.tests)], ["test-deps.txt", renderPackageList(r.deps.test, d.family)]]],
];

export function targetId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "") || "spec";
}

/** `buildLibrary`: the library's Dockerfile.build, which a spec with cache mounts gets a copy of. */
export function renderSpecFiles(spec: LoadedSpec, matrix: Matrix, leaves: readonly Vector[], context: BuildContext, buildLibrary: string): SpecFiles {
  const coords = coordinates(matrix);
  const distros = new Map(matrix.distros.map((d) => [d.name, d]));
  const resolved = leaves.map((v) =>
    resolveSpec(spec, { distro: distros.get(v.distro!)!, arch: v.arch!, args: vectorArgs(matrix, v) }),
  );
  const first = resolved[0]!;
  const files = new Map<string, string>();
  const sources = resolved.map((r) => JSON.stringify([r.sources, r.patches, r.generators]));
  if (sources.some((s) => s !== sources[0])) {
    throw new UserError(`${spec.file}: sources of "${first.name}" change with the distro, arch or an axis; they must be the same for every target`);
  }
  const contextRoot = contextRootOf(spec, contextSourceUses(first.sources), context.probe);
  for (const [path, content] of renderSources(first.sources, first.patches, first.generators, contextRoot ?? ".", context.dockerignore)) files.set(path, content);
  const fetched = first.sources.filter((x): x is Fetched => x.kind === "image" || x.kind === "build");
  let fetch: SpecFiles["fetch"];
  if (fetched.length) {
    const root = contextRootOf(spec, fetchUses(fetched), context.probe);
    for (const [path, content] of renderFetch(fetched, root ?? ".")) files.set(path, content);
    fetch = { contextRoot: root, nested: fetched.filter((x) => x.kind === "build"), git: gitMounts(fetched) };
  }
  const refs = {} as Record<Kind, KeyedFolder>;
  // With cache mounts anywhere, every build folder has its own Dockerfile (one block names it).
  const ownBuildDockerfile = resolved.some((r) => r.caches.length > 0);
  for (const [kind, render] of KINDS) {
    const contents = resolved.map((r, i) => {
      const m = new Map(render(r, distros.get(leaves[i]!.distro!)!));
      if (kind === "build" && ownBuildDockerfile) m.set("Dockerfile", renderBuildDockerfile(buildLibrary, r));
      if (kind === "build" && r.bazel) m.set(BAZELRC_FILE, r.bazel.rc);
      return m;
    });
    const keyed = keyFolders(kind, coords, leaves, contents);
    if (kind === "deps" && keyed.folder.coords.some((c) => c !== "distro" && c !== "arch")) {
      throw new UserError(`${spec.file}: build dependencies of "${first.name}" change with an axis; they may change only with the distro and arch`);
    }
    refs[kind] = keyed.folder;
    for (const [path, content] of keyed.files) files.set(path, content);
  }
  const secrets = secretSlots(first.sources);
  if (secrets.length > SECRET_SLOTS) {
    throw new UserError(`${spec.file}: "${first.name}" names ${secrets.length} git auth secrets (${secrets.join(", ")}); dalec-bake passes at most ${SECRET_SLOTS}`);
  }
  if (resolved.some((r) => r.network !== first.network)) {
    throw new UserError(`${spec.file}: build.network_mode of "${first.name}" changes with the distro, arch or an axis; it must be the same for every target`);
  }
  return {
    id: targetId(first.name),
    name: first.name,
    files,
    refs,
    contextRoot,
    network: first.network,
    fetch,
    generators: first.generators.length > 0,
    ownBuildDockerfile,
    secrets,
    sccache: resolved.some((r) => r.sccache),
    bazel: resolved.some((r) => r.bazel),
  };
}

interface ContextUse {
  path: string;
  /** Where the spec names it, and how a message names it. */
  at: (string | number)[];
  label: string;
}

/** Every path of the build context a spec's context sources read. */
function contextSourceUses(sources: readonly ResolvedSource[]): ContextUse[] {
  return sources.flatMap((s) =>
    s.kind === "context" ? [{ path: s.path, at: ["sources", s.name, s.path === "." ? "context" : "path"], label: `context source "${s.name}"` }] : [],
  );
}

/** Every path of the build context the fetch node reads: command mounts and build sources. */
function fetchUses(sources: readonly Fetched[]): ContextUse[] {
  return sources.flatMap((s): ContextUse[] => {
    if (s.kind === "build") return s.from.kind === "context" ? [{ path: s.from.path, at: ["sources", s.name, "build", "source"], label: `build source "${s.name}"` }] : [];
    return [...(s.cmd?.mounts ?? []), ...(s.cmd?.steps ?? []).flatMap((st) => st.mounts)].flatMap((m) =>
      m.from.kind === "context" ? [{ path: m.from.path, at: ["sources", s.name, "image"], label: `image source "${s.name}" mount ${m.dest}` }] : [],
    );
  });
}

/**
 * The deepest folder of the build context holding every path used: a node mounts only that, so
 * a change elsewhere in the context (the matrix file, the output folder) does not invalidate it.
 */
function contextRootOf(spec: LoadedSpec, uses: readonly ContextUse[], probe: ContextProbe): string | undefined {
  const roots: string[][] = [];
  for (const u of uses) {
    const rel = posix.normalize(u.path);
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
