// One chunk as a bake file of its own (JSON, fully evaluated: bake reads it in no time, however
// large the tree). Parents built by an earlier chunk come in as contexts: those whose result is
// a root filesystem as an image in the local image store, those whose result is plain files
// (FROM scratch: sources, build, pkg) as the folder they were exported to, which also works for
// a child of another platform.
import type { BakeTarget, Graph } from "../graph/expand.js";
import type { Chunk, Plan } from "../graph/plan.js";

const FILE_STAGES = new Set(["sources", "build", "pkg"]);

export interface Handoff {
  /** The output that leaves the node behind, in place of `type=cacheonly`; none if it already has one. */
  output: string | undefined;
  /** How a child in a later chunk names it in `contexts`. */
  context: string;
}

/** A tag is at most 128 characters of [A-Za-z0-9_.-]. */
function tagOf(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (safe.length <= 128) return safe;
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0;
  return `${safe.slice(0, 119)}-${h.toString(16).padStart(8, "0")}`;
}

/**
 * Where a node handed to a later chunk goes. A node that already leaves something behind (an
 * image tag, a local folder) is handed on as that; otherwise it gets an output of its own.
 * `dir` is the folder for file results.
 */
export function handoffOf(graph: Graph, name: string, dir: string): Handoff {
  const n = graph.nodes.get(name)!;
  if (n.target.tags?.length) return { output: undefined, context: `docker-image://${n.target.tags[0]}` };
  const local = n.target.output?.map((o) => /^type=local,dest=(.+)$/.exec(o)?.[1]).find((d) => d !== undefined);
  if (local) return { output: undefined, context: local };
  if (FILE_STAGES.has(n.stage)) return { output: `type=local,dest=${dir}/${name}`, context: `${dir}/${name}` };
  const ref = `dalec-bake-node:${tagOf(name)}`;
  return { output: `type=image,name=${ref}`, context: `docker-image://${ref}` };
}

export interface ChunkFile {
  /** The bake file's content. */
  json: string;
  /** The targets named on bake's command line: the chunk's requested nodes and its hand-offs. */
  targets: string[];
}

export function renderChunkFile(graph: Graph, p: Plan, chunk: Chunk, handoffDir: string): ChunkFile {
  const chunkOf = new Map(p.nodes.map((n) => [n.name, n.chunk]));
  const requested = new Set(p.nodes.filter((n) => n.requested).map((n) => n.name));
  const inChunk = new Set(chunk.targets);
  const handedOn = new Set(p.nodes.filter((n) => n.chunk > chunk.index && n.parents.some((x) => inChunk.has(x))).flatMap((n) => n.parents.filter((x) => inChunk.has(x))));
  const targets: Record<string, BakeTarget> = {};
  for (const name of chunk.targets) {
    const t: BakeTarget = structuredClone(graph.nodes.get(name)!.target);
    if (t.contexts) {
      for (const [k, v] of Object.entries(t.contexts)) {
        if (!v.startsWith("target:")) continue;
        const parent = v.slice("target:".length);
        if (chunkOf.get(parent) !== chunk.index) t.contexts[k] = handoffOf(graph, parent, handoffDir).context;
      }
    }
    const h = handedOn.has(name) ? handoffOf(graph, name, handoffDir) : undefined;
    if (h?.output) t.output = [h.output];
    targets[name] = t;
  }
  const names = chunk.targets.filter((n) => requested.has(n) || handedOn.has(n));
  return { json: `${JSON.stringify({ target: targets }, null, 2)}\n`, targets: names };
}
