// `dalec-bake graph`: the plan's nodes and edges as Graphviz dot, Mermaid or JSON.
import type { Plan } from "../graph/plan.js";

export type GraphFormat = "dot" | "mermaid" | "json";

export function renderGraph(p: Plan, format: GraphFormat): string {
  if (format === "json") {
    const nodes = p.nodes.map((n) => ({ name: n.name, stage: n.stage, level: n.level }));
    const edges = p.nodes.flatMap((n) => n.parents.map((from) => ({ from, to: n.name })));
    return `${JSON.stringify({ version: p.version, nodes, edges }, null, 2)}\n`;
  }
  if (format === "dot") {
    const q = (s: string) => JSON.stringify(s);
    const lines = ["digraph dalec_bake {", "  rankdir=LR;", "  node [shape=box];"];
    for (const n of p.nodes) lines.push(`  ${q(n.name)} [label=${q(`${n.name}`)}, group=${q(n.stage)}];`);
    for (const n of p.nodes) for (const from of n.parents) lines.push(`  ${q(from)} -> ${q(n.name)};`);
    lines.push("}");
    return `${lines.join("\n")}\n`;
  }
  // Mermaid ids must be plain words; labels carry the real names.
  const id = new Map(p.nodes.map((n, i) => [n.name, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const n of p.nodes) lines.push(`  ${id.get(n.name)}["${n.name}"]`);
  for (const n of p.nodes) for (const from of n.parents) lines.push(`  ${id.get(from)} --> ${id.get(n.name)}`);
  return `${lines.join("\n")}\n`;
}
