// Everything generated for one spec: its sources, and for every leaf of the matrix its build
// script, package control file, image Dockerfile, tests and dependency lists, each stored once
// per distinct content (see keyed-files.ts).
import { UserError } from "../errors.js";
import type { Distro } from "../distros.js";
import { coordinates, vectorArgs } from "../graph/vectors.js";
import type { Matrix, Vector } from "../matrix/model.js";
import type { LoadedSpec } from "../spec/load.js";
import { specFileName } from "../spec/load.js";
import type { RepoEnv, RepoSource, ResolvedRepo, ResolvedSource, ResolvedSpec, StepMount } from "../spec/model.js";
import { fieldName } from "../yaml/validate.js";
import { resolveSpec } from "../spec/resolve.js";
import { reposFor } from "../spec/resolve-repos.js";
import { BAZELRC_FILE, TEST_ANCHOR, renderBuildDockerfile, testStages } from "./build-dockerfile.js";
import type { SourceMountLine } from "./build-dockerfile.js";
import { libraryCopy, mergeEdits } from "./library-copy.js";
import type { RunEdit } from "./library-copy.js";
import { laidOutBySources, repoStep, rpmImport } from "./repo-mounts.js";
import type { LaidOut, RepoStep } from "./repo-mounts.js";
import { renderBuildScript } from "./build-script.js";
import { renderChangelog, renderControl, renderCopyright, renderPackageList, renderPkgOptions } from "./debian-control.js";
import { renderMaintainerScripts } from "./maintainer-scripts.js";
import { renderRpmSpec } from "./rpm-spec.js";
import { imageNeedsNewline, mountedByImageNode, renderImageDockerfile } from "./image-dockerfile.js";
import { baseEnvEdits, leafBaseEnv, withBaseEnvShell } from "./test-base-env.js";
import { keyFolders } from "./keyed-files.js";
import type { KeyedFolder } from "./keyed-files.js";
import { fetchUses, filtersMounts, gitMounts, mountedBuilds, namedContexts, renderFetch } from "./fetch-dockerfile.js";
import type { Fetched } from "./fetch-dockerfile.js";
import { SECRET_SLOTS, renderSources, secretSlots, usesSsh } from "./sources-script.js";
import { renderTestScript, testParts } from "./test-script.js";
import { MountedSources } from "./mounted-sources.js";
import type { ContextUse } from "./mounted-sources.js";
import { type ContextProbe, contextRootOf } from "./context-root.js";

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
  /** Whether a git source authenticates with ssh (the sources node forwards the user's agent). */
  ssh: boolean;
  /** Whether the build node uses its folder's own Dockerfile (cache or step mounts) over the library's. */
  ownBuildDockerfile: boolean;
  /** Whether the test node uses its folder's own Dockerfile (several tests, test mounts, image env, extra repos) over the library's. */
  ownTestDockerfile: boolean;
  /** Whether the test node reads the base image's environment (it then takes BASE_IMAGE). */
  testBaseEnv: boolean;
  /** Whether the tests mount sources (the test node then reads the sources node). */
  testMounts: boolean;
  /** Whether an image base's command mounts sources (the image node then reads the sources node). */
  imageMounts: boolean;
  /** Whether an image config value has a newline (the image node then gives render/image-dockerfile.ts's NEWLINE_ARG). */
  imageNewline: boolean;
  /**
   * dependencies.extra_repos: the nodes that use their folder's own Dockerfile (the library's
   * with the repos' mounts), and the part of the build context the repos' context sources read
   * (the named context `repos`) with the nodes that mount it.
   */
  repos: {
    ownDockerfile: ("deps" | "test")[];
    contextRoot: string | undefined;
    readers: RepoKind[];
    named: Partial<Record<RepoKind, string[]>>;
    /** The nodes that mount repo sources the sources node laid out. */
    fromSources: RepoKind[];
  };
  /** Whether a build step runs sccache (rustsccache): DALEC_BAKE_SCCACHE can supply the binary. */
  sccache: boolean;
  /** Whether a build step has a bazel cache: DALEC_BAKE_BAZEL_SOCKET can forward a remote cache. */
  bazel: boolean;
  /** Whether the sources node runs dependency generators (it then needs the newest toolchains). */
  generators: boolean;
  /** The fetch node, for a spec with image or build sources (its folder: fetch/); `lib`: whether a filtering stage reads lib/. */
  fetch: { contextRoot: string | undefined; nested: Extract<Fetched, { kind: "build" }>[]; git: [string, string][]; named: string[]; lib: boolean } | undefined;
}

type Kind = "deps" | "build" | "pkg" | "image" | "test";
type RepoKind = "deps" | "image" | "test";

/** The step of each node kind that installs packages, as Dalec names it in a repo's envs. */
const REPO_ENV: Record<RepoKind, RepoEnv> = { deps: "build", image: "install", test: "test" };
/** The RUN line of the library's deps and test functions that installs packages. */
const REPO_ANCHOR = {
  deps: "--mount=type=bind,source=build-deps.txt,target=/dalec/deps.txt",
  test: "--mount=type=bind,source=test-deps.txt,target=/dalec/test-deps.txt",
};

/** What a node's files depend on besides the leaf: whether the sources node lays out mounted sources, the leaf's repos. */
interface KindContext {
  mounted: boolean;
  /** Whether build steps mount sources: then each runs in a RUN of its own, with its mounts. */
  stepRuns: boolean;
  repos: RepoStep | undefined;
  /** Where the sources node laid out what the image base's command mounts (what the image node does not make). */
  baseMounts: ReadonlyMap<StepMount, SourceMountLine>;
}

const KINDS: [Kind, (r: ResolvedSpec, d: Distro, c: KindContext) => [string, string][]][] = [
  ["deps", (r, d) => [["build-deps.txt", renderPackageList(r.deps.build, d.family)]]],
  ["build", (r, d, c) => [["build.sh", renderBuildScript(r, d.unitDir, c.mounted, c.stepRuns)]]],
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
  ["image", (r, d, c) => renderImageDockerfile(r.image, d.family, c.repos, c.baseMounts)],
  ["test", (r, d) => [["test.sh", renderTestScript(r.tests)], ["test-deps.txt", renderPackageList(r.deps.test, d.family)]]],
];

export function targetId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "") || "spec";
}

/** `library`: the library's files by path; a spec with mounts or extra repos gets copies of some. */
export function renderSpecFiles(spec: LoadedSpec, matrix: Matrix, leaves: readonly Vector[], context: BuildContext, library: ReadonlyMap<string, string>): SpecFiles {
  const coords = coordinates(matrix);
  const distros = new Map(matrix.distros.map((d) => [d.name, d]));
  const resolved = leaves.map((v) =>
    resolveSpec(spec, { distro: distros.get(v.distro!)!, arch: v.arch!, args: vectorArgs(matrix, v), contexts: Object.keys(matrix.contexts), globalExcludes: matrix.globalExcludes }),
  );
  const first = resolved[0]!;
  const files = new Map<string, string>();
  const sources = resolved.map((r) => JSON.stringify([r.sources, r.patches, r.generators]));
  if (sources.some((s) => s !== sources[0])) {
    throw new UserError(`${spec.file}: sources of "${first.name}" change with the distro, arch or an axis; they must be the same for every target`);
  }
  const mounted = new MountedSources(context.probe);
  // Each build step and each test has its own mounts, as in Dalec.
  const stepMounts = resolved.map((r) => r.steps.map((s) => mounted.lines(spec, s.mounts, "build step")));
  const testMounts = resolved.map((r) => r.tests.map((t) => mounted.lines(spec, t.mounts, "test")));
  // What an image base's command mounts that the image node cannot make for the target platform.
  const baseMounts = resolved.map((r) => {
    const cmd = r.image.baseCmd;
    const all = cmd ? [...cmd.mounts, ...cmd.steps.flatMap((st) => st.mounts)] : [];
    return new Map(all.filter((m) => !mountedByImageNode(m.source)).map((m) => [m, { source: mounted.placeSource(m.source, m.at, `mount "${m.dest}"`), target: m.dest }]));
  });
  const laidOut = layOutRepoSources(resolved, mounted);
  const all = [...first.sources, ...mounted.sources];
  const contextRoot = contextRootOf(spec, [...contextSourceUses(first.sources), ...mounted.uses], context.probe);
  for (const [path, content] of renderSources(specFileName(spec), all, first.patches, first.generators, contextRoot ?? ".", context.dockerignore, first.globalExcludes)) files.set(path, content);
  const fetched = all.filter((x): x is Fetched => x.kind === "image" || x.kind === "build" || x.kind === "named");
  let fetch: SpecFiles["fetch"];
  if (fetched.length) {
    const root = contextRootOf(spec, fetchUses(fetched), context.probe);
    for (const [path, content] of renderFetch(fetched, root ?? ".")) files.set(path, content);
    const nested = [...fetched.filter((x) => x.kind === "build"), ...mountedBuilds(fetched)];
    fetch = { contextRoot: root, nested, git: gitMounts(fetched), named: namedContexts(fetched), lib: filtersMounts(fetched) };
  }
  const refs = {} as Record<Kind, KeyedFolder>;
  // With mounts anywhere, every build (test) folder has its own Dockerfile (one block names it).
  const stepRuns = stepMounts.map((steps) => steps.some((m) => m.length > 0));
  const ownBuildDockerfile = resolved.some((r, i) => r.caches.length > 0 || stepRuns[i]);
  const testMounted = testMounts.some((tests) => tests.some((m) => m.length > 0));
  const testStaged = testMounted || resolved.some((r) => r.tests.length > 1); // a stage per test
  const testBaseEnv = resolved.some(leafBaseEnv); // tests with the base environment, as in Dalec
  const reposRoot = contextRootOf(spec, repoContextUses(resolved), context.probe);
  const repos: SpecFiles["repos"] = { ownDockerfile: [], contextRoot: reposRoot, readers: [], named: {}, fromSources: [] };
  const lib = (name: string) => library.get(name) ?? "";
  for (const [kind, render] of KINDS) {
    const repoKind = kind === "deps" || kind === "image" || kind === "test" ? kind : undefined;
    const steps = resolved.map((r, i) => (repoKind ? repoStep(r.repos, REPO_ENV[repoKind], distros.get(leaves[i]!.distro!)!.family, reposRoot ?? ".", laidOut) : undefined));
    if (repoKind && steps.some((st) => st!.readsContext)) repos.readers.push(repoKind);
    if (repoKind && steps.some((st) => st!.readsSources)) repos.fromSources.push(repoKind);
    const named = [...new Set(steps.flatMap((st) => st?.namedContexts ?? []))].sort();
    if (repoKind && named.length) repos.named[repoKind] = named;
    const ownRepoDockerfile = (kind === "deps" || kind === "test") && resolved.some((r) => reposFor(r.repos, REPO_ENV[kind]).length > 0);
    if (ownRepoDockerfile) repos.ownDockerfile.push(kind);
    const contents = resolved.map((r, i) => {
      const step = steps[i];
      const m = new Map(render(r, distros.get(leaves[i]!.distro!)!, { mounted: mounted.sources.length > 0, stepRuns: stepRuns[i]!, repos: step, baseMounts: baseMounts[i]! }));
      const edits: RunEdit[] = [];
      if (ownRepoDockerfile && step) edits.push({ anchor: REPO_ANCHOR[kind as "deps" | "test"], mounts: step.mounts, beforePm: rpmImport(step), stages: step.stages });
      // Only a leaf whose image sets env: its tests run with the base image's environment.
      const baseEnv = kind === "test" && leafBaseEnv(r);
      if (baseEnv) edits.push(...baseEnvEdits(r.image, [REPO_ANCHOR.test, TEST_ANCHOR]));
      if (edits.length) m.set("Dockerfile", libraryCopy(lib(`Dockerfile.${kind}`), `Dockerfile.${kind}`, "mounts", mergeEdits(edits)));
      if (kind === "test" && (testStaged || testBaseEnv)) {
        // One block names every leaf's folder Dockerfile: each leaf has one.
        let own = m.get("Dockerfile") ?? libraryCopy(lib("Dockerfile.test"), "Dockerfile.test", "tests", []);
        if (baseEnv) own = withBaseEnvShell(own);
        m.set("Dockerfile", r.tests.length && testStaged ? testStages(own, testMounts[i]!, r.tests.map(testParts)) : own);
      }
      if (kind === "build" && ownBuildDockerfile) m.set("Dockerfile", renderBuildDockerfile(lib("Dockerfile.build"), r, stepRuns[i] ? stepMounts[i] : undefined));
      if (kind === "build" && r.bazel) m.set(BAZELRC_FILE, r.bazel.rc);
      for (const [path, content] of step?.files ?? []) m.set(path, content);
      return m;
    });
    const keyed = keyFolders(kind, coords, leaves, contents);
    if (kind === "deps" && keyed.folder.coords.some((c) => c !== "distro" && c !== "arch")) {
      throw new UserError(`${spec.file}: build dependencies of "${first.name}" change with an axis; they may change only with the distro and arch`);
    }
    refs[kind] = keyed.folder;
    for (const [path, content] of keyed.files) files.set(path, content);
  }
  const secrets = secretSlots(all, first.generators);
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
    ownTestDockerfile: testStaged || testBaseEnv || repos.ownDockerfile.includes("test"),
    testBaseEnv,
    testMounts: testMounted,
    imageMounts: baseMounts.some((m) => m.size > 0),
    imageNewline: resolved.some((r) => imageNeedsNewline(r.image)),
    repos,
    secrets,
    ssh: usesSsh(all, first.generators),
    sccache: resolved.some((r) => r.sccache),
    bazel: resolved.some((r) => r.bazel),
  };
}


/** Every path of the build context a spec's context sources read. */
function contextSourceUses(sources: readonly ResolvedSource[]): ContextUse[] {
  return sources.flatMap((s) =>
    s.kind === "context" ? [{ path: s.path, at: ["sources", s.name, s.path === "." ? "context" : "path"], label: `context source "${s.name}"` }] : [],
  );
}

function repoSources(repo: ResolvedRepo): RepoSource[] {
  return [...repo.config.map(([, s]) => s), ...repo.keys.map(([, s]) => s), ...repo.data.map((d) => d.source)];
}

/** Has the sources node lay out every repo source a bind mount cannot take as it is. */
function layOutRepoSources(resolved: readonly ResolvedSpec[], mounted: MountedSources): LaidOut {
  const places = new Map<RepoSource, string>();
  for (const r of resolved) {
    for (const s of r.repos.flatMap(repoSources)) {
      if (!laidOutBySources(s)) continue;
      const { at, ...source } = s;
      places.set(s, mounted.placeSource(source, at, `extra repo source ${fieldName(at)}`));
    }
  }
  return (s) => {
    const place = places.get(s);
    if (place === undefined) throw new Error(`extra repo source ${fieldName(s.at)} was not laid out`);
    return place;
  };
}

/** Every path of the build context the extra repos of any leaf mount as it is. */
function repoContextUses(resolved: readonly ResolvedSpec[]): ContextUse[] {
  const seen = new Set<string>();
  return resolved.flatMap((r) =>
    r.repos.flatMap(repoSources).flatMap((s): ContextUse[] => {
      if (s.kind !== "context" || laidOutBySources(s)) return [];
      const key = JSON.stringify([s.path, s.at]);
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ path: s.path, at: [...s.at, s.path === "." ? "context" : "path"], label: `extra repo source ${s.at.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").slice(1)}` }];
    }),
  );
}
