// Which nodes a change affects: each node gets a fingerprint of what its build reads (its
// Dockerfile, build args, platforms, and the files it mounts from its local contexts), as
// BuildKit's content-based cache keys do; a node is affected when its fingerprint differs from
// the one at the old revision, or when a parent is affected.
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Graph, Node } from "./expand.js";

/** Reads local contexts; paths are relative to the output folder. */
export interface ContextReader {
  /** Every file under a folder (path relative to it) -> a digest of its content and mode. */
  files(dir: string): ReadonlyMap<string, string>;
  /** A file's text, or undefined if there is none. */
  text(file: string): string | undefined;
}

/** What a Dockerfile reads from each named context: whole (`*`) or single paths. */
export function mountsOf(dockerfile: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (ctx: string, source: string) => out.set(ctx, (out.get(ctx) ?? new Set()).add(source));
  for (const m of dockerfile.matchAll(/--mount=(\S+)/g)) {
    const kv = Object.fromEntries(m[1]!.split(",").map((p) => p.split("=", 2) as [string, string]));
    if ((kv.type ?? "bind") !== "bind") continue;
    add(kv.from ?? ".", kv.source ? posix.normalize(kv.source) : "*");
  }
  for (const m of dockerfile.matchAll(/^COPY\s+(?:--from=(\S+)\s+)?(\S+)\s+\S+\s*$/gm)) add(m[1] ?? ".", posix.normalize(m[2]!.replace(/^\/+/, "") || "."));
  // `--from=<stage>` reads a stage of the same Dockerfile, not a context.
  for (const m of dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)\s*$/gim)) out.delete(m[1]!);
  return out;
}

function digestOf(files: ReadonlyMap<string, string>, pick: ReadonlySet<string>): string[] {
  const all = pick.has("*") || pick.has(".");
  return [...files]
    .filter(([f]) => all || [...pick].some((p) => f === p || f.startsWith(`${p}/`)))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([f, d]) => `${f}\0${d}`);
}

function nodeFingerprint(n: Node, read: ContextReader): string {
  const t = n.target;
  const dockerfilePath = posix.normalize(posix.join(t.context, t.dockerfile));
  const text = read.text(dockerfilePath) ?? "";
  // A git or http context changes with its URL, which no file shows (a folder's path is left
  // out: it depends on where the tree is written).
  const remote = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(t.context) ? t.context : "";
  const parts: string[] = [JSON.stringify([text, remote, t.args ?? {}, t.platforms])];
  for (const [ctx, sources] of [...mountsOf(text)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = ctx === "." ? t.context : t.contexts?.[ctx];
    // Parents (target:) and images are fingerprinted as nodes of their own.
    if (value === undefined || value.startsWith("target:") || value.startsWith("docker-image://")) continue;
    parts.push(ctx, ...digestOf(read.files(value), sources));
  }
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

export function fingerprints(graph: Graph, names: readonly string[], read: ContextReader): Map<string, string> {
  return new Map(names.filter((n) => graph.nodes.has(n)).map((n) => [n, nodeFingerprint(graph.nodes.get(n)!, read)]));
}

/** Nodes of `names` whose fingerprint changed or is new, and every node below one, in order. */
export function affected(graph: Graph, names: readonly string[], now: ReadonlyMap<string, string>, before: ReadonlyMap<string, string>): string[] {
  const hit = new Set<string>();
  for (const n of names) {
    const node = graph.nodes.get(n)!;
    if (now.get(n) !== before.get(n) || node.parents.some((p) => hit.has(p))) hit.add(n);
  }
  return names.filter((n) => hit.has(n));
}
