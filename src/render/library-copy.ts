// A spec's own copy of a library Dockerfile: RUN flags take no build args, so what a spec must
// add to a RUN line (cache mounts, extra repos' mounts) is written into a copy of the function.
import { STAMP } from "./shell.js";

/** A --mount field, CSV-quoted when its value could be read as more than one field. */
export function mountField(k: string, v: string): string {
  const f = `${k}=${v}`;
  return /[,"\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

/** Where the RPM branch of a library step picks its package manager. */
const PM_LINE = "pm=$(command -v dnf || command -v tdnf) && \\";

/**
 * The library Dockerfile `name` with `mounts` added after each RUN line holding `anchor`, and
 * `beforePm` (a command) run in each such step before the RPM family's package manager.
 */
export function libraryCopy(library: string, name: string, anchor: string, what: string, mounts: readonly string[], beforePm?: string): string {
  if (!library.includes(anchor)) throw new Error(`${name} no longer has the line "${anchor}" after which the spec's ${what} go`);
  const out: string[] = [`# ${STAMP}`, `# The library's ${name}, with the spec's ${what}.`];
  let inStep = false;
  for (const line of library.split("\n")) {
    if (inStep && beforePm && line.trim() === PM_LINE) {
      out.push(`${line.slice(0, line.indexOf(PM_LINE))}${beforePm} && \\`);
      inStep = false;
    }
    out.push(line);
    if (line.includes(anchor)) {
      out.push(...mounts.map((m) => `    ${m} \\`));
      inStep = true;
    }
  }
  if (beforePm && inStep) throw new Error(`${name} no longer has the line "${PM_LINE}" after "${anchor}"`);
  return out.join("\n");
}
