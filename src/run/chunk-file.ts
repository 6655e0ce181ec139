// One chunk as a bake file of its own (JSON, fully evaluated: bake reads it in no time, however
// large the tree). Parents built by an earlier chunk come in as contexts:
// - on one machine, a root filesystem as an image in the local image store, plain files
//   (FROM scratch: sources, build, pkg) as the folder they were exported to, which also works
//   for a child of another platform;
// - across machines (`build --push`, CI jobs), every parent as an image pushed to the matrix
//   file's registry, under a tag made from its name (and the run, so runs never mix).
import { pushTo } from "../collections.js";
import type { BakeTarget, Graph } from "../graph/expand.js";
import type { Chunk, Plan } from "../graph/plan.js";

const FILE_STAGES = new Set(["fetch", "nested", "sources", "build", "pkg"]);

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

/**
 * Where a node handed to a later chunk goes. A node that already leaves something behind (an
 * image tag, a local folder) is handed on as that; otherwise it gets an output of its own.
 */
export function handoffOf(graph: Graph, name: string, policy: HandoffPolicy): Handoff {
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
  if (FILE_STAGES.has(n.stage)) return { output: `type=local,dest=${policy.dir}/${name}`, context: `${policy.dir}/${name}` };
  const ref = `dalec-bake-node:${tagOf(name)}`;
  return { output: `type=image,name=${ref}`, context: `docker-image://${ref}` };
}

export interface ChunkFile {
  /** The bake file's content. */
  json: string;
}

export interface RenderOptions {
  /** Give each target its own GitHub Actions cache scope (in a GitHub Actions job). */
  ghaCache: boolean;
}

export class ChunkRenderer {
  private readonly chunkOf: Map<string, number>;
  private readonly graphChildren = new Map<string, string[]>();
  private readonly planChildren = new Map<string, string[]>();

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
        if (this.chunkOf.get(parent) !== chunk.index) t.contexts![k] = handoffOf(this.graph, parent, this.policy).context;
      }
      if (this.handedOn(name, inChunk)) {
        const h = handoffOf(this.graph, name, this.policy);
        if (h.output) t.output = [h.output];
        // Every target already carries no attestation (graph/blocks.ts: ATTEST): an image a child
        // reads keeps one digest across exports, and is a plain manifest, not an index, which a
        // child of another platform can read.
      }
      if (this.policy.kind === "registry" && t.tags?.length) t.output = ["type=image,push=true"];
      if (this.opts.ghaCache) {
        // One scope per target: targets never evict each other's cache.
        t["cache-from"] = [...(t["cache-from"] ?? []), `type=gha,scope=${name}`];
        t["cache-to"] = [...(t["cache-to"] ?? []), `type=gha,scope=${name},mode=max`];
      }
      out[name] = t;
    }
    return { json: `${JSON.stringify({ target: out }, null, 2)}\n` };
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
