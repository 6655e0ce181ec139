// A spec's own copy of a library Dockerfile: RUN flags take no build args, so what a spec must
// add to a RUN line (cache mounts, mounted sources, extra repos' mounts) is written into a copy
// of the function.
import { STAMP } from "./shell.js";

/**
 * A --mount field whose value BuildKit reads back unchanged. It reads a RUN flag in three layers:
 * as a shell reads a word (quotes removed, backslash escapes), then as CSV fields, then each value
 * as a shell word again with variables expanded. So the value's `\ ' " $` are escaped, a field
 * that could be read as several is CSV-quoted, and the CSV quotes go inside single quotes.
 */
export function mountField(k: string, v: string): string {
  const f = `${k}=${v.replace(/[\\'"$]/g, (c) => `\\${c}`)}`;
  if (!/[,"'\\\s]/.test(f)) return f;
  return `'${`"${f.replace(/"/g, '""')}"`.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** Where the RPM branch of a library step picks its package manager. */
const PM_LINE = "pm=$(command -v dnf || command -v tdnf) && \\";

/**
 * What to add to the RUN line holding `anchor`: `mounts` (whole `--mount=...` flags) after the
 * anchor, and `beforePm` (a command) run in that step before the RPM family's package manager.
 */
export interface RunEdit {
  anchor: string;
  mounts: readonly string[];
  beforePm?: string | undefined;
  /** Dockerfile stages the mounts read from, put before the library's first stage. */
  stages?: readonly string[];
}

/** The library Dockerfile `name` with each edit applied; `what` says what the spec added. */
export function libraryCopy(library: string, name: string, what: string, edits: readonly RunEdit[]): string {
  for (const e of edits) {
    if (!library.includes(e.anchor)) throw new Error(`${name} no longer has the line "${e.anchor}" after which the spec's ${what} go`);
  }
  const out: string[] = [`# ${STAMP}`, `# The library's ${name}, with the spec's ${what}.`];
  let pending: RunEdit | undefined;
  let staged = false;
  for (const line of library.split("\n")) {
    if (!staged && line.startsWith("FROM ")) {
      out.push(...edits.flatMap((e) => e.stages ?? []));
      staged = true;
    }
    if (pending?.beforePm && line.trim() === PM_LINE) {
      out.push(`${line.slice(0, line.indexOf(PM_LINE))}${pending.beforePm} && \\`);
      pending = undefined;
    }
    out.push(line);
    const edit = edits.find((e) => line.includes(e.anchor));
    if (edit) {
      if (pending?.beforePm) throw new Error(`${name} no longer has the line "${PM_LINE}" after "${pending.anchor}"`);
      out.push(...edit.mounts.map((m) => `    ${m} \\`));
      pending = edit;
    }
  }
  if (pending?.beforePm) throw new Error(`${name} no longer has the line "${PM_LINE}" after "${pending.anchor}"`);
  return out.join("\n");
}

/** Edits of one RUN line as one: a line's mounts from several edits, in order. */
export function mergeEdits(edits: readonly RunEdit[]): RunEdit[] {
  const out = new Map<string, RunEdit>();
  for (const e of edits) {
    const prev = out.get(e.anchor);
    out.set(
      e.anchor,
      prev
        ? { anchor: e.anchor, mounts: [...prev.mounts, ...e.mounts], beforePm: prev.beforePm ?? e.beforePm, stages: [...(prev.stages ?? []), ...(e.stages ?? [])] }
        : e,
    );
  }
  return [...out.values()];
}
