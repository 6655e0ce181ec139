// YAML as Dalec reads it: YAML 1.2 (so `off` and `yes` stay strings), anchors, aliases and `<<:`
// merge keys, duplicate keys rejected. Every node's position is kept so later stages can point
// at `file:line:col`. Plain numbers are kept as YamlNumber with the text as written: Dalec reads
// `1.0` in a string field as "1.0" (not "1"), and `0755` in a permission field as octal.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import { UserError } from "../errors.js";
import type { Location } from "../errors.js";

export class YamlNumber {
  constructor(
    readonly text: string,
    /** The value YAML 1.2 gives it (`0755` is 755). */
    readonly value: number,
  ) {}
  /** `0755` as Dalec reads a mode: octal. */
  get mode(): number {
    return /^[-+]?0[0-9]+$/.test(this.text) ? Number.parseInt(this.text, 8) : this.value;
  }
}

export type Path = readonly (string | number)[];

export interface SourceMap {
  file: string;
  /** Where the value at `path` starts, or where the key naming it starts (for unknown keys). */
  locate(path: Path, preferKey?: boolean): Location;
  /** A few lines of source around a location, with a caret. */
  frame(loc: Location): string;
  /** Every path the document has, with where its key starts (its value, for a list item). */
  fields(): [Path, Location][];
}

export interface ReadYaml {
  value: unknown;
  map: SourceMap;
}

interface Spot {
  key?: number;
  value: number;
}

export function readYaml(text: string, file: string): ReadYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: "1.2", uniqueKeys: true, lineCounter: lines, prettyErrors: false });
  const toLoc = (offset: number): Location => {
    const p = lines.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const frame = (loc: Location) => codeFrame(text, loc);
  const first = doc.errors[0];
  if (first) {
    const loc = toLoc(first.pos[0]);
    throw new UserError(`invalid YAML: ${firstLine(first.message)}`, loc, frame(loc));
  }
  const spots = new Map<string, Spot>();
  const value = walk(doc, doc.contents, [], spots, text, toLoc);
  const map: SourceMap = {
    file,
    frame,
    locate(path, preferKey = false) {
      for (let n = path.length; n >= 0; n--) {
        const spot = spots.get(JSON.stringify(path.slice(0, n)));
        if (spot) return toLoc(preferKey && spot.key !== undefined ? spot.key : spot.value);
      }
      return { file, line: 1, col: 1 };
    },
    fields: () => [...spots].map(([key, spot]) => [JSON.parse(key) as Path, toLoc(spot.key ?? spot.value)]),
  };
  return { value, map };
}

function walk(
  doc: Document,
  node: Node | null | undefined,
  path: (string | number)[],
  spots: Map<string, Spot>,
  text: string,
  toLoc: (o: number) => Location,
  keyOffset?: number,
  depth = 0,
): unknown {
  if (depth > 200) throw new UserError("YAML nests too deeply (or an alias refers to itself)");
  const here = JSON.stringify(path);
  // A key with no value (`make:`) is a field too: it starts where its key does.
  if (!spots.has(here)) spots.set(here, { key: keyOffset, value: node?.range?.[0] ?? keyOffset ?? 0 });
  if (node == null) return null;
  if (isAlias(node)) {
    return walk(doc, node.resolve(doc) as Node | undefined, path, spots, text, toLoc, keyOffset, depth + 1);
  }
  if (isScalar(node)) {
    if (typeof node.value === "number" && node.type === "PLAIN" && node.range) {
      return new YamlNumber(text.slice(node.range[0], node.range[1]).trim(), node.value);
    }
    return node.value;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => walk(doc, item as Node, [...path, i], spots, text, toLoc, undefined, depth + 1));
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const valueNode = pair.value as Node | null;
      if (key === "<<" && isScalar(keyNode) && keyNode.type === "PLAIN") {
        const sources = isSeq(valueNode) ? (valueNode.items as Node[]) : [valueNode];
        for (const src of sources) {
          const m = walk(doc, src, path, spots, text, toLoc, undefined, depth + 1);
          if (m === null || typeof m !== "object" || Array.isArray(m)) {
            throw new UserError("a `<<` merge key must refer to a mapping", toLoc(src?.range?.[0] ?? 0));
          }
          merged.push(m as Record<string, unknown>);
        }
        continue;
      }
      out[key] = walk(doc, valueNode, [...path, key], spots, text, toLoc, keyNode?.range?.[0], depth + 1);
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones.
    for (const m of merged.reverse()) {
      for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    }
    return out;
  }
  return null;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

export function codeFrame(text: string, loc: Location): string {
  const lines = text.split("\n");
  const from = Math.max(1, loc.line - 1);
  const to = Math.min(lines.length, loc.line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    out.push(`${n === loc.line ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
    if (n === loc.line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, loc.col - 1))}^`);
  }
  return out.join("\n");
}
