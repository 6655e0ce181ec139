// One chunk as a bake file of its own (JSON, fully evaluated: bake reads it in no time, however
// large the tree). Parents built by an earlier chunk come in as contexts:
// - on one machine, a root filesystem, and files whose owners a child reads (fetch, nested,
//   sources), as an image in the local image store; built files and packages (build, pkg) as the
//   folder they were exported to. A folder would do for every files node, but BuildKit's local
//   export and local contexts give every file the caller's owner, and an inline source's
//   uid/gid must reach the build as Dalec sets it. The image store holds one platform per image
//   and refuses it to a child of another, so such a child reads a copy made for its platform
//   (a handoff target, built with the node: a `target:` link crosses platforms);
// - across machines (`build --push`, CI jobs), every parent as an image pushed to the matrix
//   file's registry, under a tag made from its name (and the run, so runs never mix).
import { pushTo } from "../collections.js";
import { ATTEST, NODE_LABEL } from "../graph/blocks.js";
import type { BakeTarget, Graph } from "../graph/expand.js";
import type { Chunk, Plan } from "../graph/plan.js";

const FOLDER_STAGES = new Set(["build", "pkg"]);
/** Stages of the library Dockerfiles named other than their node's stage, and whose work they are. */
const INNER_STAGES: Record<string, string> = { tools: "sources", work: "build" };
const OWNED_STAGES = new Set(["fetch", "nested", "sources"]);

export type HandoffPolicy =
  | { kind: "local"; dir: string }
  | {
      kind: "registry";
      repository: string;
      run: string | undefined;
      /** Nodes already pushed, by digest (this run's earlier chunks, earlier jobs' records). */
      digests: ReadonlyMap<string, string>;
    };

export interface Handoff {
  /** The output that leaves the node behind, in place of `type=cacheonly`; none if it already has one. */
  output: string | undefined;
  /** How a child in a later chunk names it in `contexts`. */
  context: string;
}

/** A tag is at most 128 characters of [A-Za-z0-9_.-]. */
export function tagOf(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (safe.length <= 128) return safe;
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0;
  return `${safe.slice(0, 119)}-${h.toString(16).padStart(8, "0")}`;
}

/** The folder a target exports to (`type=local,dest=`), if it has one. */
export function localOutput(t: BakeTarget): string | undefined {
  return t.output?.map((o) => /^type=local,dest=(.+)$/.exec(o)?.[1]).find((d) => d !== undefined);
}

/** The platform a target is built for (every node has one). */
const platformOf = (t: BakeTarget): string => t.platforms[0]!;

/** The handoff target that copies an owned files node for a child of another platform. */
export function handoffName(name: string, platform: string): string {
  return `${name}--for--${platform.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/**
 * Where a node handed to a later chunk goes. A node that already leaves something behind (an
 * image tag, a local folder) is handed on as that; otherwise it gets an output of its own.
 * `platform`: the reading child's.
 */
export function handoffOf(graph: Graph, name: string, policy: HandoffPolicy, platform?: string): Handoff {
  const n = graph.nodes.get(name)!;
  const local = localOutput(n.target);
  // A prefetch node's folder is read where it is written: its child's plan builds it too.
  if (n.stage === "prefetch" && local) return { output: undefined, context: local };
  // Across machines a child reads its parent by digest when it is known, which it always is in
  // the generated workflow: exactly the image that was pushed, whatever a tag says by then. The
  // push itself goes under a tag per run: the docker driver cannot push by digest alone.
  const pushed = policy.kind === "registry" ? policy.digests.get(name) : undefined;
  if (n.target.tags?.length) return { output: undefined, context: `docker-image://${pushed ?? n.target.tags[0]}` };
  if (policy.kind === "registry") {
    const ref = `${policy.repository}/node:${tagOf(policy.run ? `${name}--run-${policy.run}` : name)}`;
    return { output: `type=image,name=${ref},push=true`, context: `docker-image://${pushed ?? ref}` };
  }
  if (local) return { output: undefined, context: local };
  if (FOLDER_STAGES.has(n.stage)) return { output: `type=local,dest=${policy.dir}/${name}`, context: `${policy.dir}/${name}` };
  const ref = `dalec-bake-node:${tagOf(name)}`;
  const other = platform !== undefined && platform !== platformOf(n.target) && OWNED_STAGES.has(n.stage);
  return { output: `type=image,name=${ref}`, context: `docker-image://${other ? `dalec-bake-node:${tagOf(handoffName(name, platform))}` : ref}` };
}

/** The copy of an owned files node made for a child of another platform: the same files and owners. */
function handoffTarget(node: string, platform: string): BakeTarget {
  const name = handoffName(node, platform);
  return {
    context: ".",
    dockerfile: "Dockerfile",
    "dockerfile-inline": "FROM scratch\nCOPY --from=node / /\n",
    contexts: { node: `target:${node}` },
    platforms: [platform],
    labels: { [NODE_LABEL]: name },
    output: [`type=image,name=dalec-bake-node:${tagOf(name)}`],
    attest: [...ATTEST],
  };
}

export interface ChunkFile {
  /** The bake file's content. */
  json: string;
  /** What to ask bake for: the targets given, and the handoff targets they bring. */
  targets: string[];
}

export interface RenderOptions {
  /** Give each target its own GitHub Actions cache scope (in a GitHub Actions job). */
  ghaCache: boolean;
}

export class ChunkRenderer {
  private readonly chunkOf: Map<string, number>;
  private readonly graphChildren = new Map<string, string[]>();
  private readonly planChildren = new Map<string, string[]>();
  /** Handoff target -> the node it copies, for the targets rendered so far. */
  private readonly handoffs = new Map<string, string>();

  constructor(
    private readonly graph: Graph,
    plan: Plan,
    private readonly policy: HandoffPolicy,
    private readonly opts: RenderOptions = { ghaCache: false },
  ) {
    this.chunkOf = new Map(plan.nodes.map((n) => [n.name, n.chunk]));
    for (const n of graph.nodes.values()) for (const p of n.parents) pushTo(this.graphChildren, p, n.name);
    for (const n of plan.nodes) for (const p of n.parents) pushTo(this.planChildren, p, n.name);
  }

  /** `targets`: the chunk's targets still to build. */
  render(chunk: Chunk, targets: readonly string[]): ChunkFile {
    const inChunk = new Set(chunk.targets);
    const out: Record<string, BakeTarget> = {};
    for (const name of targets) {
      const t: BakeTarget = structuredClone(this.graph.nodes.get(name)!.target);
      for (const [k, v] of Object.entries(t.contexts ?? {})) {
        if (!v.startsWith("target:")) continue;
        const parent = v.slice("target:".length);
        if (this.chunkOf.get(parent) !== chunk.index) t.contexts![k] = handoffOf(this.graph, parent, this.policy, platformOf(t)).context;
      }
      if (this.handedOn(name, inChunk)) {
        const h = handoffOf(this.graph, name, this.policy);
        if (h.output) t.output = [h.output];
        // Every target already carries no attestation (graph/blocks.ts: ATTEST): an image a child
        // reads keeps one digest across exports, and is a plain manifest, not an index, which a
        // child of another platform can read.
      }
      if (this.policy.kind === "registry" && t.tags?.length) t.output = ["type=image,push=true"];
      out[name] = t;
      if (this.handedOn(name, inChunk))
        for (const platform of this.copiesFor(name, inChunk)) {
          out[handoffName(name, platform)] = handoffTarget(name, platform);
          this.handoffs.set(handoffName(name, platform), name);
        }
    }
    if (this.opts.ghaCache)
      for (const [name, t] of Object.entries(out)) {
        // One scope per target: targets never evict each other's cache.
        t["cache-from"] = [...(t["cache-from"] ?? []), `type=gha,scope=${name}`];
        t["cache-to"] = [...(t["cache-to"] ?? []), `type=gha,scope=${name},mode=max`];
      }
    return { json: `${JSON.stringify({ target: out }, null, 2)}\n`, targets: Object.keys(out) };
  }

  /** The node a target of a chunk file stands for: itself, or the node a handoff target copies. */
  nodeOf(target: string): string {
    return this.handoffs.get(target) ?? target;
  }

  /**
   * The node a step labelled `[label stage ...]` (`stage` undefined: `[label n/m]`) is the work
   * of: bake labels a linked parent's steps with the child's name and the parent's stage, so the
   * label's nearest node of that stage, or else the label's own node. A handoff target's label
   * stands for the node it copies: BuildKit runs their shared steps once and may report them
   * under either label, and the copy is the node's to make.
   */
  ownerOf(label: string, stage: string | undefined): string {
    const start = this.nodeOf(label);
    if (stage === undefined) return start;
    const want = INNER_STAGES[stage] ?? stage;
    const queue = [start];
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const node = this.graph.nodes.get(n);
      if (!node) continue;
      if (node.stage === want) return n;
      queue.push(...node.parents);
    }
    return start;
  }

  /** The platforms of a later chunk's children an image of this node would be refused to (local). */
  private copiesFor(name: string, inChunk: ReadonlySet<string>): string[] {
    const n = this.graph.nodes.get(name)!;
    if (this.policy.kind !== "local" || !handoffOf(this.graph, name, this.policy).context.startsWith("docker-image://") || !OWNED_STAGES.has(n.stage)) return [];
    const platforms = (this.planChildren.get(name) ?? []).filter((c) => !inChunk.has(c)).map((c) => platformOf(this.graph.nodes.get(c)!.target));
    return [...new Set(platforms)].filter((p) => p !== platformOf(n.target)).sort();
  }

  /**
   * On one machine, what a later chunk of this plan reads; across machines, what any other
   * chunk of the tree may read (a later CI job), as far as this one can know.
   */
  private handedOn(name: string, inChunk: ReadonlySet<string>): boolean {
    const children = (this.policy.kind === "registry" ? this.graphChildren : this.planChildren).get(name) ?? [];
    return children.some((c) => !inChunk.has(c));
  }
}
