// The table printed at the end of `dalec-bake build`, and the one-line tally.
import type { Plan } from "../graph/plan.js";
import type { Outcome, TargetResult } from "../run/scheduler.js";

const ORDER: Outcome[] = ["failed", "skipped", "stopped", "built", "cached"];

export function tally(results: ReadonlyMap<string, TargetResult>): Record<Outcome, number> {
  const t: Record<Outcome, number> = { built: 0, cached: 0, failed: 0, skipped: 0, stopped: 0 };
  for (const r of results.values()) t[r.outcome]++;
  return t;
}

export function renderSummary(p: Plan, results: ReadonlyMap<string, TargetResult>, seconds: number, logDir: string): string {
  const rows = p.nodes.map((n) => ({ name: n.name, r: results.get(n.name)! }));
  rows.sort((a, b) => ORDER.indexOf(a.r.outcome) - ORDER.indexOf(b.r.outcome));
  const width = Math.max(6, ...rows.map((r) => r.name.length));
  const lines = [`${"target".padEnd(width)}  result   time`];
  for (const { name, r } of rows) {
    const why = r.because ? `  (needs ${r.because})` : "";
    lines.push(`${name.padEnd(width)}  ${r.outcome.padEnd(7)}  ${r.seconds ? `${r.seconds.toFixed(1)}s` : "-"}${why}`);
  }
  const t = tally(results);
  const parts = ORDER.filter((o) => t[o]).map((o) => `${t[o]} ${o}`);
  lines.push("", `${parts.join(", ")} in ${seconds.toFixed(1)}s; logs in ${logDir}`);
  return `${lines.join("\n")}\n`;
}
