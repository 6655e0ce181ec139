// The one place that spawns processes. A child is stopped when the signal aborts (Ctrl-C).
import { execa } from "execa";
import { UserError } from "../errors.js";

export interface SpawnResult {
  exitCode: number;
  /** The child was stopped because the signal aborted. */
  aborted: boolean;
}

export interface SpawnOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Each line the child writes to stderr, as it comes. */
  onStderrLine: (line: string) => void;
  onStdoutLine?: (line: string) => void;
}

export async function spawn(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  const child = execa(file, [...args], {
    cwd: opts.cwd,
    env: opts.env as Record<string, string>,
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    cancelSignal: opts.signal,
    // bake stops its builds on SIGINT/SIGTERM; give it a moment before SIGKILL.
    forceKillAfterDelay: 5000,
    buffer: false,
    lines: false,
  });
  const pump = (stream: NodeJS.ReadableStream | null, each: ((l: string) => void) | undefined) =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve();
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        if (each) for (const p of parts) each(p);
      });
      stream.on("end", () => {
        if (rest && each) each(rest);
        resolve();
      });
      stream.on("error", () => resolve());
    });
  const [result] = await Promise.all([child, pump(child.stderr, opts.onStderrLine), pump(child.stdout, opts.onStdoutLine)]);
  const aborted = opts.signal?.aborted === true;
  if (result.exitCode === undefined && !aborted && "code" in result && result.code === "ENOENT") throw new UserError(`${file}: command not found${file === "docker" ? " (install Docker with buildx, e.g. with scripts/setup-engine.sh)" : ""}`);
  return { exitCode: result.exitCode ?? (aborted ? 130 : 1), aborted };
}
