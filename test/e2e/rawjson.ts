// Reads `docker buildx bake --progress=rawjson`: which steps ran and which came from cache.
import { z } from "zod";

const vertex = z.object({
  digest: z.string(),
  name: z.string().optional(),
  started: z.string().optional(),
  completed: z.string().optional(),
  cached: z.boolean().optional(),
  error: z.string().optional(),
});
const status = z.object({ vertexes: z.array(vertex).optional() }).passthrough();

// buildx prints one pretty-printed JSON object after another, each opening and closing at column 0.
function* documents(text: string): Generator<unknown> {
  let buf: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "{") buf = [];
    buf.push(line);
    if (line === "}") {
      try {
        yield JSON.parse(buf.join("\n"));
      } catch {
        // a line of other output interleaved with the progress: not ours to read
      }
      buf = [];
    }
  }
}

export interface Step {
  digest: string;
  name: string;
  /** The bake target the step is labelled with, e.g. `system--bookworm--amd64`. */
  target: string;
  cached: boolean;
}

export function parseRawJson(text: string): Step[] {
  const byDigest = new Map<string, z.infer<typeof vertex>>();
  for (const doc of documents(text)) {
    const parsed = status.safeParse(doc);
    if (!parsed.success) continue;
    for (const v of parsed.data.vertexes ?? []) byDigest.set(v.digest, { ...byDigest.get(v.digest), ...v });
  }
  const steps: Step[] = [];
  for (const v of byDigest.values()) {
    if (!v.name || !v.completed) continue;
    const m = /^\[([^\s\]]+)/.exec(v.name);
    steps.push({ digest: v.digest, name: v.name, target: m?.[1] ?? "", cached: v.cached === true });
  }
  return steps;
}

/** RUN steps that executed (not cached), by target. */
export function executedRuns(steps: readonly Step[]): Map<string, Step[]> {
  const out = new Map<string, Step[]>();
  for (const s of steps) {
    if (s.cached || !/\] RUN /.test(s.name)) continue;
    out.set(s.target, [...(out.get(s.target) ?? []), s]);
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
