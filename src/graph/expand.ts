// Evaluates the tree's blocks the way `docker buildx bake` evaluates the generated HCL: the same
// vector choice from the same variables, the same names, folders and parents. `plan` and `build`
// use this instead of asking bake, whose evaluation grows about quadratically with the tree.
import { UserError } from "../errors.js";
import type { Matrix, Vector } from "../matrix/model.js";
import { ATTEST, CA_SECRET, PREFETCH_GROUP, SSH_ID, nodeLabel } from "./blocks.js";
import type { Block, Stage, Text, Value } from "./blocks.js";
import { coordinates, domains, isExcluded, pluralOf } from "./vectors.js";

/** One target as `docker buildx bake --print` shows it. */
export interface BakeTarget {
  context: string;
  contexts?: Record<string, string>;
  dockerfile: string;
  "dockerfile-inline"?: string;
  target?: string;
  args?: Record<string, string>;
  tags?: string[];
  labels?: Record<string, string>;
  platforms: string[];
  output?: string[];
  "cache-from"?: string[];
  "cache-to"?: string[];
  secret?: string[];
  ssh?: string[];
  attest?: string[];
}

export interface Node {
  name: string;
  stage: Stage;
  spec: string | undefined;
  /** The coordinates the node is named by. */
  coords: Record<string, string>;
  target: BakeTarget;
  /** Names of the nodes linked as `target:` contexts, and those that must be built before (Block.after). */
  parents: string[];
}

export interface Graph {
  /** In the order bake would list them: by block, then by vector. */
  nodes: Map<string, Node>;
  /** Group name -> the target or group names it holds (matrix blocks are groups too). */
  groups: Map<string, string[]>;
}

export interface Variables {
  /** The values of the bake file's variables, as bake reads them from the environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** What bake substitutes for BAKE_LOCAL_PLATFORM, e.g. `linux/amd64`. */
  localPlatform: string;
}

/** Each coordinate's chosen values: a singular variable wins over the plural JSON list. */
export function chosenValues(matrix: Matrix, env: Variables["env"]): Record<string, string[]> {
  const dom = domains(matrix);
  const chosen: Record<string, string[]> = {};
  for (const c of coordinates(matrix)) {
    const single = env[c];
    const plural = env[pluralOf(c)];
    let values: unknown = dom[c];
    if (single) values = [single];
    else if (plural !== undefined && plural !== "") {
      try {
        values = JSON.parse(plural);
      } catch {
        throw new UserError(`${pluralOf(c)}: expected a JSON array of ${c} values, found ${JSON.stringify(plural)}`);
      }
    }
    if (!Array.isArray(values) || values.some((x) => typeof x !== "string"))
      throw new UserError(`${pluralOf(c)}: expected a JSON array of strings, found ${JSON.stringify(plural)}`);
    const unknown = (values as string[]).find((x) => !dom[c]!.includes(x));
    if (unknown !== undefined) throw new UserError(`${single ? c : pluralOf(c)}: "${unknown}" is not a ${c} of the matrix (expected one of: ${dom[c]!.join(", ")})`);
    chosen[c] = values as string[];
  }
  return chosen;
}

function product(matrix: Matrix, chosen: Record<string, string[]>): Vector[] {
  let out: Record<string, string>[] = [{}];
  for (const c of coordinates(matrix)) out = out.flatMap((partial) => chosen[c]!.map((val) => ({ ...partial, [c]: val })));
  return out.filter((v) => !isExcluded(matrix, v));
}

function distinctPlatforms(vs: readonly Vector[]): Vector[] {
  const seen = new Map<string, Vector>();
  for (const v of vs) seen.set(`${v.distro}\0${v.arch}`, { distro: v.distro!, arch: v.arch! });
  return [...seen.values()];
}

export function expandGraph(matrix: Matrix, all: readonly Block[], vars: Variables): Graph {
  const chosen = chosenValues(matrix, vars.env);
  const vs = product(matrix, chosen);
  const plats = distinctPlatforms(vs);
  const images = new Map(matrix.distros.map((d) => [d.name, d.image]));
  const envVar = (name: string, fallback: string) => vars.env[name] ?? fallback;

  const nodes = new Map<string, Node>();
  const groups = new Map<string, string[]>();
  for (const b of all) {
    const points = b.matrix ? (b.matrix.over === "vectors" ? vs : plats) : [{}];
    const names: string[] = [];
    for (const point of points) {
      const text = (t: Text) =>
        t
          .map((p) => (typeof p === "string" ? p : "coord" in p ? point[p.coord]! : p.variable === "DALEC_BAKE_OUT" ? envVar("DALEC_BAKE_OUT", "out") : envVar("DALEC_BAKE_IMAGE_PREFIX", "dalec-bake/")))
          .join("");
      const value = (v: Value) => (Array.isArray(v) ? text(v) : "baseImage" in v ? images.get(point.distro!)! : vars.localPlatform);
      const name = b.name ? text(b.name) : b.label;
      const target: BakeTarget = { context: text(b.context), dockerfile: text(b.dockerfile), platforms: b.platforms.map(value) };
      if (b.target) target.target = b.target;
      const optional = (b.contextsFrom ?? []).filter(([, v]) => envVar(v, "")).map(([k, v]): [string, string] => [k, envVar(v, "")]);
      const contexts = [...b.contexts.map(([k, t]): [string, string] => [k, text(t)]), ...optional];
      if (contexts.length) target.contexts = Object.fromEntries(contexts);
      if (b.args.length) target.args = Object.fromEntries(b.args.map(([k, v]) => [k, value(v)]));
      if (b.tags) target.tags = b.tags.map(text);
      const label = nodeLabel(b);
      if (label) target.labels = { [label[0]]: text(label[1]) };
      if (b.output) target.output = b.output.map(text);
      if (b.cacheFrom.length) target["cache-from"] = b.cacheFrom.map(text);
      if (b.cacheTo.length) target["cache-to"] = b.cacheTo.map(text);
      const ssh = [...(b.ssh ? [SSH_ID] : []), ...(b.sshIds ?? []), ...(b.sshFrom ?? []).filter(([, v]) => envVar(v, "")).map(([id, v]) => `${id}=${envVar(v, "")}`)];
      if (ssh.length) target.ssh = ssh;
      target.attest = [...ATTEST];
      const ca = envVar("DALEC_BAKE_CA_CERTS", "");
      const secrets = [...(b.secrets ?? []).map(([id, env]) => `id=${id},env=${env}`), ...(b.caCerts && ca ? [`id=${CA_SECRET},src=${ca}`] : [])];
      if (secrets.length) target.secret = secrets;
      const parents = [
        ...Object.values(target.contexts ?? {})
          .filter((c) => c.startsWith("target:"))
          .map((c) => c.slice("target:".length)),
        ...(b.after ?? []),
      ];
      nodes.set(name, { name, stage: b.stage, spec: b.spec, coords: { ...point }, target, parents });
      names.push(name);
    }
    if (b.matrix) groups.set(b.label, names);
  }
  const specs = [...new Set(all.map((b) => b.spec).filter((s): s is string => !!s))];
  for (const s of specs) groups.set(s, [`pkg--${s}`, `test--${s}`]);
  const smoke = smokeVector(matrix, chosen);
  groups.set("default", ["packages", "tests"]);
  groups.set("packages", specs.map((s) => `pkg--${s}`));
  groups.set("images", specs.map((s) => `image--${s}`));
  groups.set("tests", specs.map((s) => `test--${s}`));
  groups.set("tests-smoke", specs.map((s) => [`test--${s}`, ...coordinates(matrix).map((c) => smoke[c]!)].join("--")));
  const prefetch = all.filter((b) => b.stage === "prefetch").map((b) => b.label);
  if (prefetch.length) groups.set(PREFETCH_GROUP, prefetch);
  return { nodes, groups };
}

/** tests-smoke: the matrix file's default value of each coordinate, unless it was not chosen. */
function smokeVector(matrix: Matrix, chosen: Record<string, string[]>): Vector {
  return Object.fromEntries(coordinates(matrix).map((c) => [c, chosen[c]!.includes(matrix.defaults[c]!) ? matrix.defaults[c]! : chosen[c]![0]!]));
}

/** The node names a list of targets and groups stands for, each once, in graph order. */
export function selectNodes(graph: Graph, requested: readonly string[]): string[] {
  const picked = new Set<string>();
  const visit = (name: string, from: string[]) => {
    if (graph.nodes.has(name)) picked.add(name);
    else if (graph.groups.has(name)) {
      if (from.includes(name)) return;
      for (const n of graph.groups.get(name)!) visit(n, [...from, name]);
    } else if (from.length) {
      // A group may name a node the chosen vectors leave out (tests-smoke of an excluded vector).
      return;
    } else throw new UserError(`unknown target "${name}" (expected a target or group of the tree, e.g. ${[...graph.groups.keys()].slice(0, 6).join(", ")})`);
  };
  for (const r of requested.length ? requested : ["default"]) visit(r, []);
  return [...graph.nodes.keys()].filter((n) => picked.has(n));
}

/** The requested nodes and every node they need, in graph order. */
export function closure(graph: Graph, names: readonly string[]): string[] {
  const need = new Set<string>();
  const visit = (n: string) => {
    if (need.has(n)) return;
    need.add(n);
    for (const p of graph.nodes.get(n)!.parents) visit(p);
  };
  names.forEach(visit);
  return [...graph.nodes.keys()].filter((n) => need.has(n));
}
