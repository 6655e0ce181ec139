// The tree's targets described once, symbolically: which coordinates each name, folder and parent
// depends on. render/bake-hcl.ts writes these as HCL matrix blocks (so the environment chooses
// the vectors when bake evaluates them); graph/expand.ts evaluates them itself for `plan` and
// `build`, which must not pay bake's evaluation of a whole large tree. One description for both
// keeps them from drifting; a test compares the two on the real `docker buildx bake --print`.
import { posix } from "node:path";
import { DISTROS } from "../distros.js";
import { coordinates } from "./vectors.js";
import type { Matrix } from "../matrix/model.js";
import type { KeyedFolder } from "../render/keyed-files.js";
import { REPOS_CONTEXT } from "../render/repo-mounts.js";
import type { SpecFiles } from "../render/spec-files.js";
import { namedContextName } from "../render/command-stages.js";
import { fetchBlocks } from "./fetch-blocks.js";
import { GIT_CONTEXT_SSH_ID, gitContextSecrets, gitContextSsh } from "./git-context-auth.js";
import { SCCACHE_STAGE } from "../render/build-dockerfile.js";
import { NEWLINE_ARG } from "../render/image-dockerfile.js";
import { BAZEL_SSH_ID } from "../spec/resolve-caches.js";

export type Stage = "system" | "prefetch" | "fetch" | "nested" | "sources" | "deps" | "build" | "pkg" | "image" | "test";

/** The loop variable of a block's matrix: `v` over vectors, `p` over distinct distro x arch. */
export type Obj = "v" | "p";

/** A piece of a string template. */
export type Part = string | { coord: string; obj: Obj } | { variable: "DALEC_BAKE_OUT" | "DALEC_BAKE_IMAGE_PREFIX" };
export type Text = Part[];
/** An attribute value: a template, the distro's base image, or bake's local platform. */
export type Value = Text | { baseImage: Obj } | { localPlatform: true };

export interface Block {
  /** The block's label; for a matrix block, also the group of everything it expands to. */
  label: string;
  stage: Stage;
  spec: string | undefined;
  matrix: { obj: Obj; over: "vectors" | "platforms" } | undefined;
  name: Text | undefined;
  context: Text;
  dockerfile: Text;
  /** The Dockerfile stage to build (a build source's `target`), or undefined for the last. */
  target?: string;
  contexts: [string, Text][];
  args: [string, Value][];
  platforms: Value[];
  /** Nodes whose result only feeds other nodes stay in the build cache (`type=cacheonly`). */
  output: Text[] | undefined;
  tags: Text[] | undefined;
  /** Whether the node reads the user's extra CA certificates (DALEC_BAKE_CA_CERTS) as a secret. */
  caCerts?: boolean;
  /** Secrets read from the environment: [secret id, environment variable]. */
  secrets?: [string, string][];
  /** Whether the node reads the user's ssh agent (SSH_AUTH_SOCK) as the ssh id dalec-ssh. */
  ssh?: boolean;
  /** Other ssh ids forwarded from the user's agent (SSH_AUTH_SOCK): "default" for a build source's git context. */
  sshIds?: string[];
  /** Named contexts set only when a bake variable is: [context name, variable]. */
  contextsFrom?: [string, OptionalVariable][];
  /** SSH sockets forwarded only when a bake variable names one: [ssh id, variable]. */
  sshFrom?: [string, OptionalVariable][];
  /**
   * Nodes that must be built by an earlier bake invocation: a local folder this node reads that
   * no `target:` context can give (a prefetched build context).
   */
  after?: string[];
  /** Registry cache: one tag per target, so that targets never evict each other. */
  cacheFrom: Text[];
  cacheTo: Text[];
}

const PLAT = ["distro", "arch"];

/**
 * Every target's attestations: none. Bake exports each parent a child reads (`target:`) as an
 * image; with buildx's default provenance, which records the build's time, every run exported
 * new ones (15 new dangling images per warm run of the example, measured) and children read
 * parents that changed digest for nothing. Without it a rerun reuses the same images.
 */
export const ATTEST = ["type=provenance,disabled=true"];

/**
 * The label naming the node in each image bake loads into the docker image store for a child
 * (an untagged parent, read through `target:`). Two nodes of the same content (two specs with
 * the same dependencies) would otherwise be one image, which bake loads under the one name
 * `moby-dangling@<digest>` for both at once: "already exists", and the build fails (seen in CI).
 */
export const NODE_LABEL = "dalec-bake.node";
const LOADED_STAGES: ReadonlySet<Stage> = new Set(["system", "fetch", "nested", "sources", "deps", "build", "pkg"]);

/** The node's own label, for a node a child loads as an image. */
export function nodeLabel(b: Block): [string, Text] | undefined {
  return LOADED_STAGES.has(b.stage) ? [NODE_LABEL, b.name ?? [b.label]] : undefined;
}

/** Bake variables that, when set, add a named context or an ssh socket to the build nodes. */
export type OptionalVariable = "DALEC_BAKE_SCCACHE" | "DALEC_BAKE_BAZEL_SOCKET";

/** The secret id under which the sources node reads DALEC_BAKE_CA_CERTS. */
export const CA_SECRET = "dalec-ca-certs";
/** The ssh id under which the sources node reads the user's ssh agent, for git sources with auth.ssh. */
export const SSH_ID = "dalec-ssh";

function coordParts(obj: Obj, coords: readonly string[]): Part[] {
  return coords.flatMap((c) => ["--", { coord: c, obj }]);
}

function named(prefix: string, obj: Obj, coords: readonly string[]): Text {
  return [prefix, ...coordParts(obj, coords)];
}

function keyed(id: string, f: KeyedFolder, obj: Obj): Text {
  return [`gen/${id}/${f.base}`, ...coordParts(obj, f.coords)];
}

const optional = (name: string, variable: OptionalVariable): [string, OptionalVariable] => [name, variable];

export const CACHEONLY: Text[] = [["type=cacheonly"]];

/** The group of the nodes later bake invocations read as folders (Block.after): bake.sh runs it first. */
export const PREFETCH_GROUP = "prefetch";

export function blocks(matrix: Matrix, specs: readonly SpecFiles[], contextPath: string, namedPaths: Readonly<Record<string, string>> = {}): Block[] {
  const all = treeBlocks(matrix, specs, contextPath, namedPaths);
  const repo = matrix.cache.registry;
  if (!repo) return all;
  return all.map((b) => {
    const name: Text = b.name ?? [b.label];
    return { ...b, cacheFrom: [[`type=registry,ref=${repo}:`, ...name]], cacheTo: [[`type=registry,ref=${repo}:`, ...name, ",mode=max"]] };
  });
}

function treeBlocks(matrix: Matrix, specs: readonly SpecFiles[], contextPath: string, namedPaths: Readonly<Record<string, string>>): Block[] {
  const leaf = coordinates(matrix);
  const platform = (obj: Obj): Value[] => [["linux/", { coord: "arch", obj }]];
  const out: Block[] = [
    {
      label: "system",
      stage: "system",
      spec: undefined,
      matrix: { obj: "p", over: "platforms" },
      name: named("system", "p", PLAT),
      context: ["dockerfiles"],
      dockerfile: ["Dockerfile.system"],
      contexts: [],
      args: [["BASE_IMAGE", { baseImage: "p" }]],
      platforms: platform("p"),
      output: CACHEONLY,
      tags: undefined,
      cacheFrom: [],
      cacheTo: [],
    },
  ];
  for (const s of specs) {
    out.push(...fetchBlocks(s, contextPath, namedPaths));
    const lib: [string, Text] = ["lib", ["dockerfiles/lib"]];
    const libDockerfile = (name: string): Text => [`../../../dockerfiles/Dockerfile.${name}`];
    // Extra repos' context sources: the part of the build context they read, and the named
    // contexts they read, for the nodes that mount them.
    const repos = (kind: "deps" | "image" | "test"): [string, Text][] => [
      ...(s.repos.readers.includes(kind) && s.repos.contextRoot ? [[REPOS_CONTEXT, [posix.join(contextPath, s.repos.contextRoot)]] as [string, Text]] : []),
      ...(s.repos.named[kind] ?? []).map((name): [string, Text] => [namedContextName(name), [namedPaths[name] ?? "."]]),
    ];
    // What the sources node laid out: test and image base command mounts, and repo sources a bind mount cannot take as they are.
    const sources = (kind: "deps" | "image" | "test"): [string, Text][] =>
      s.repos.fromSources.includes(kind) || (kind === "test" && s.testMounts) || (kind === "image" && s.imageMounts) ? [["sources", [`target:sources--${s.id}`]]] : [];
    // What a build must offer to run the sources node's step: every child of that node offers it
    // too. BuildKit runs a step that several builds share in the session of whichever build gets
    // to it first, and an optional secret or ssh socket that session lacks is silently absent
    // (measured: a git source with auth.ssh failed in its package's build, not its own).
    const sourcesSession: Partial<Block> = {
      caCerts: true,
      secrets: [...s.secrets.map((name, i): [string, string] => [`dalec-secret-${i + 1}`, name]), ...gitContextSecrets(s)],
      ssh: s.ssh,
      ...(gitContextSsh(s) ? { sshIds: [GIT_CONTEXT_SSH_ID] } : {}),
    };
    const buildSession: Partial<Block> = { ...sourcesSession, ...(s.bazel ? { sshFrom: [optional(BAZEL_SSH_ID, "DALEC_BAKE_BAZEL_SOCKET")] } : {}) };
    const leafBlock = (stage: "build" | "pkg" | "image" | "test", rest: Partial<Block>): Block => ({
      label: `${stage}--${s.id}`,
      stage,
      spec: s.id,
      matrix: { obj: "v", over: "vectors" },
      name: named(`${stage}--${s.id}`, "v", leaf),
      context: keyed(s.id, s.refs[stage], "v"),
      dockerfile: [],
      contexts: [],
      args: [],
      platforms: platform("v"),
      output: CACHEONLY,
      tags: undefined,
      cacheFrom: [],
      cacheTo: [],
      ...rest,
    });
    out.push(
      {
        label: `sources--${s.id}`,
        stage: "sources",
        spec: s.id,
        matrix: undefined,
        name: undefined,
        context: [`gen/${s.id}/sources`],
        dockerfile: libDockerfile("sources"),
        // Only the part of the build context the spec reads, or nothing to read at all.
        contexts: [
          lib,
          ["context", [s.contextRoot ? posix.join(contextPath, s.contextRoot) : `gen/${s.id}/sources`]],
          ["fetch", [s.fetch ? `target:fetch--${s.id}` : `gen/${s.id}/sources`]],
        ],
        // Generators run the newest Debian's toolchains (Go, cargo, pip, npm): modules ask for them.
        args: s.generators ? [["TOOLS_IMAGE", [DISTROS.trixie!.image]]] : [],
        // The one node that downloads over TLS (http, git, generators).
        ...sourcesSession,
        platforms: [{ localPlatform: true }],
        output: CACHEONLY,
        tags: undefined,
        cacheFrom: [],
        cacheTo: [],
      },
      {
        label: `deps--${s.id}`,
        stage: "deps",
        spec: s.id,
        matrix: { obj: "p", over: "platforms" },
        name: named(`deps--${s.id}`, "p", PLAT),
        context: keyed(s.id, s.refs.deps, "p"),
        dockerfile: s.repos.ownDockerfile.includes("deps") ? ["Dockerfile"] : libDockerfile("deps"),
        contexts: [["system", named("target:system", "p", PLAT)], lib, ...sources("deps"), ...repos("deps")],
        args: [],
        platforms: platform("p"),
        output: CACHEONLY,
        tags: undefined,
        cacheFrom: [],
        cacheTo: [],
        ...(s.repos.fromSources.includes("deps") ? sourcesSession : {}),
      },
      leafBlock("build", {
        dockerfile: s.ownBuildDockerfile ? ["Dockerfile"] : libDockerfile("build"),
        contexts: [["deps", named(`target:deps--${s.id}`, "v", PLAT)], ["sources", [`target:sources--${s.id}`]], lib],
        args: s.network === "sandbox" ? [["NETWORK", ["sandbox"]]] : [],
        // A user's own sccache replaces the download stage; a user's bazel remote cache socket.
        ...(s.sccache ? { contextsFrom: [optional(SCCACHE_STAGE, "DALEC_BAKE_SCCACHE")] } : {}),
        ...buildSession,
      }),
      leafBlock("pkg", {
        dockerfile: libDockerfile("pkg"),
        contexts: [["deps", named(`target:deps--${s.id}`, "v", PLAT)], ["build", named(`target:build--${s.id}`, "v", leaf)], lib],
        output: [["type=local,dest=", { variable: "DALEC_BAKE_OUT" }, `/pkg--${s.id}`, ...coordParts("v", leaf)]],
        ...buildSession,
      }),
      leafBlock("image", {
        dockerfile: ["Dockerfile"],
        contexts: [["pkg", named(`target:pkg--${s.id}`, "v", leaf)], ...sources("image"), ...repos("image")],
        args: [["BASE_IMAGE", { baseImage: "v" }], ...(s.imageNewline ? [[NEWLINE_ARG, ["\n"]] as [string, Value]] : [])],
        output: undefined,
        tags: [[{ variable: "DALEC_BAKE_IMAGE_PREFIX" }, `${s.id}:`, ...leaf.flatMap((c, i): Part[] => [...(i ? ["-"] : []), { coord: c, obj: "v" }])]],
        ...buildSession,
      }),
      leafBlock("test", {
        dockerfile: s.ownTestDockerfile ? ["Dockerfile"] : libDockerfile("test"),
        contexts: [
          ["image", named(`target:image--${s.id}`, "v", leaf)],
          lib,
          ...sources("test"),
          ...repos("test"),
        ],
        args: s.testBaseEnv ? [["BASE_IMAGE", { baseImage: "v" }]] : [],
        ...buildSession,
      }),
    );
  }
  return out;
}
