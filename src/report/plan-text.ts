// `dalec-bake plan` for people: nodes per stage, the shared ones, levels and invocations.
import type { Plan } from "../graph/plan.js";

const STAGES = ["system", "prefetch", "nested", "fetch", "sources", "deps", "build", "pkg", "image", "test"] as const;

export function renderPlanText(p: Plan): string {
  const out: string[] = [];
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  out.push(`Plan for ${p.requested.join(" ")}: ${count(p.nodes.length, "node")}, ${count(p.chunks.length, "bake invocation")}`);
  out.push("", "Nodes per stage:");
  for (const s of STAGES) {
    const n = p.nodes.filter((x) => x.stage === s).length;
    if (n) out.push(`  ${s.padEnd(8)} ${n}`);
  }
  const shared = p.nodes.filter((n) => n.leaves > 1).sort((a, b) => b.leaves - a.leaves || (a.name < b.name ? -1 : 1));
  out.push("", shared.length ? "Shared nodes (leaves that need each):" : "Shared nodes: none");
  for (const n of shared.slice(0, 50)) out.push(`  ${n.name}  ${n.leaves}`);
  if (shared.length > 50) out.push(`  ... and ${shared.length - 50} more (see --json)`);
  const byLevel = new Map<number, number>();
  for (const n of p.nodes) byLevel.set(n.level, (byLevel.get(n.level) ?? 0) + 1);
  out.push("", "Levels:");
  for (const [l, n] of [...byLevel].sort((a, b) => a[0] - b[0])) out.push(`  ${l}  ${count(n, "node")}`);
  out.push("", "Invocations:");
  for (const c of p.chunks) {
    const inputs = c.inputs.length ? `, ${count(c.inputs.length, "parent")} from earlier invocations` : "";
    out.push(`  ${c.index + 1}. level ${c.level}: ${count(c.targets.length, "target")}${inputs}`);
  }
  return `${out.join("\n")}\n`;
}
