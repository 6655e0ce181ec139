// Reads `docker buildx bake --progress=rawjson`: which steps ran and which came from cache.
import { ProgressReader } from "../../src/run/progress.js";
import type { Step } from "../../src/run/progress.js";

export type { Step };

export function parseRawJson(text: string): Step[] {
  return readRawJson(text).steps;
}

/** The steps, and what each printed (by digest). */
export function readRawJson(text: string): { steps: Step[]; logOf: (digest: string) => string } {
  const reader = new ProgressReader();
  for (const line of text.split("\n")) reader.line(line);
  return { steps: [...reader.steps.values()].filter((s) => s.name && s.completed), logOf: (d) => reader.logOfStep(d) };
}

/** A timestamp of BuildKit's progress (RFC 3339, nanoseconds) in nanoseconds. */
function nanos(t: string): bigint {
  const [whole, frac = ""] = t.replace(/Z$/, "").split(".");
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(frac.padEnd(9, "0").slice(0, 9));
}

/**
 * RUN steps that executed (not cached), by target. BuildKit now and then reports a step that
 * another build of the same bake shares as started and completed within a few milliseconds,
 * printing nothing and without its cached flag (seen: 8 µs, and 1.9 ms on a loaded host). No
 * container starts that fast: `RUN true` with --no-cache took 297–501 ms over 15 runs on these
 * machines, so a step of under 50 ms ran no process.
 */
export function executedRuns(steps: readonly Step[]): Map<string, Step[]> {
  const out = new Map<string, Step[]>();
  for (const s of steps) {
    if (s.cached || !/\] RUN /.test(s.name)) continue;
    if (s.started && s.completed && nanos(s.completed) - nanos(s.started) < 50_000_000n) continue;
    out.set(s.target ?? "", [...(out.get(s.target ?? "") ?? []), s]);
  }
  return out;
}

// Which library function a RUN step belongs to, told by its command: vertex names carry the
// requesting target's name only when bake builds several targets, and a stage name only in
// multi-stage Dockerfiles, but the command is always there.
const STAGES: [string, RegExp][] = [
  ["system", /install -y --no-install-recommends bash build-essential/],
  ["sources", /bash \/dalec\/gen\/sources\.sh/],
  ["deps", /target=\/dalec\/deps\.txt/],
  ["build", /bash \/dalec\/build\.sh/],
  ["pkg", /bash \/dalec\/lib\/pkg\.sh/],
  ["image", /\/dalec\/pkg\/\*\.deb/],
  ["test", /target=\/dalec\/test(-deps\.txt|\.sh)/],
];

export function stageOf(step: Step): string | undefined {
  return STAGES.find(([, re]) => re.test(step.name))?.[0];
}
