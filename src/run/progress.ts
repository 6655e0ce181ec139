// Reads `docker buildx bake --progress=rawjson` as it streams: which target each step belongs to,
// whether it ran or came from the cache, its log lines, and which target failed.
import { z } from "zod";

const vertex = z.object({
  digest: z.string(),
  name: z.string().optional(),
  started: z.string().optional(),
  completed: z.string().optional(),
  cached: z.boolean().optional(),
  error: z.string().optional(),
});
const log = z.object({ vertex: z.string(), data: z.string().optional() });
const status = z.object({ vertexes: z.array(vertex).optional(), logs: z.array(log).optional() }).passthrough();

export interface Step {
  digest: string;
  name: string;
  /** The bake target named at the start of the step, or the chunk's only target. */
  target: string | undefined;
  started: string | undefined;
  completed: string | undefined;
  cached: boolean;
  error: string | undefined;
}

/** Accumulates one invocation's progress; feed it stderr line by line. */
export class ProgressReader {
  readonly steps = new Map<string, Step>();
  /** Lines that were not progress JSON: bake's own messages and errors. */
  readonly other: string[] = [];
  private buf: string[] | undefined;
  private readonly logs = new Map<string, string[]>();

  /**
   * `targets`: the invocation's targets (none: any name a step is labelled with).
   * `owner`: bake labels a linked parent's steps with the child's name and the parent's stage
   * (`[pkg--x build 2/3] RUN ...`); given the label and the stage, it names the target the step
   * is really part of.
   */
  constructor(
    private readonly targets: ReadonlySet<string> = new Set(),
    private readonly onStep?: (s: Step) => void,
    private readonly owner: (label: string, stage: string | undefined) => string = (label) => label,
  ) {}

  line(l: string): void {
    // buildx prints one pretty-printed JSON object after another, each opening and closing at column 0.
    if (l === "{") this.buf = [];
    if (!this.buf) {
      if (l.trim()) this.other.push(l);
      return;
    }
    this.buf.push(l);
    if (l !== "}") return;
    const text = this.buf.join("\n");
    this.buf = undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      this.other.push(...text.split("\n"));
      return;
    }
    const parsed = status.safeParse(doc);
    if (!parsed.success) return;
    for (const v of parsed.data.vertexes ?? []) this.vertex(v);
    for (const entry of parsed.data.logs ?? []) {
      if (!entry.data) continue;
      const lines = this.logs.get(entry.vertex) ?? [];
      lines.push(Buffer.from(entry.data, "base64").toString("utf8"));
      this.logs.set(entry.vertex, lines);
    }
  }

  private vertex(v: z.infer<typeof vertex>): void {
    const prev = this.steps.get(v.digest);
    const name = v.name ?? prev?.name ?? "";
    const step: Step = {
      digest: v.digest,
      name,
      target: this.targetOf(name) ?? prev?.target,
      started: v.started ?? prev?.started,
      completed: v.completed ?? prev?.completed,
      cached: v.cached ?? prev?.cached ?? false,
      error: v.error ?? prev?.error,
    };
    this.steps.set(v.digest, step);
    if (step.completed && !prev?.completed) this.onStep?.(step);
  }

  private targetOf(name: string): string | undefined {
    const m = /^\[([^\s\]]+)(?: ([^\s\]]+))?/.exec(name);
    // `[label stage n/m]` names a stage; `[label n/m]` and `[label stage-1 ...]` (unnamed
    // stages) and `[label internal]`/`[label context x]` belong to the label's own target.
    if (m && (this.targets.has(m[1]!) || !this.targets.size)) {
      // A stage named `<kind>` or `<kind>-<variant>` (build-none, fetch-1) is the kind's work.
      const kind = m[2] && /^[a-z]+(-[a-z0-9]+)?$/.test(m[2]) && !/^stage-\d+$/.test(m[2]) ? m[2].split("-")[0]! : undefined;
      return this.owner(m[1]!, kind && kind !== "internal" && kind !== "context" ? kind : undefined);
    }
    return this.targets.size === 1 ? [...this.targets][0] : undefined;
  }

  /** Log text of a target's steps, in the order the steps were seen. */
  /** What one step printed. */
  logOfStep(digest: string): string {
    return (this.logs.get(digest) ?? []).join("");
  }

  logOf(target: string): string {
    const out: string[] = [];
    for (const s of this.steps.values()) {
      if (s.target !== target) continue;
      out.push(`#${s.cached ? " CACHED" : ""} ${s.name}${s.error ? `\n# ERROR: ${s.error}` : ""}`);
      const lines = this.logs.get(s.digest);
      if (lines) out.push(lines.join("").replace(/\n$/, ""));
    }
    return out.length ? `${out.join("\n")}\n` : "";
  }

  /** Targets with a step that failed for a reason of its own (not cancelled because another failed). */
  failedTargets(): string[] {
    const failed = new Set<string>();
    for (const s of this.steps.values()) if (s.error && s.target && !/context canceled|operation was canceled/i.test(s.error)) failed.add(s.target);
    return [...failed];
  }
}
