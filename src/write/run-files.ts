// The files a build leaves for people and CI: per-target logs, each chunk's bake file and raw
// progress, the results' metadata, the summary. They live in a folder of their own, emptied of
// its previous run's files first, so what is there is always one run's.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { DigestRecord } from "../run/digests.js";

const MARK = ".dalec-bake-run";

export class RunFiles {
  constructor(readonly dir: string) {}

  /** Starts a run: the folder exists and holds nothing of an earlier one. */
  reset(): void {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir);
    // Never empty a folder dalec-bake did not make: it may hold someone's files.
    if (names.length && !existsSync(join(this.dir, MARK))) throw new UserError(`refusing to empty ${this.dir} for the build's logs: dalec-bake did not make it (move it away)`);
    for (const name of names) rmSync(join(this.dir, name), { recursive: true, force: true });
    writeFileSync(join(this.dir, MARK), "Logs of the last dalec-bake build; the next one replaces them.\n");
  }

  write(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }
}

/**
 * Records the digest a node was pushed as, for children built later or in another job: one
 * small file per node, so that the folders of many jobs merge into one without conflicts;
 * written aside and renamed, so an interrupted build never leaves half a record.
 */
export function writeDigest(dir: string, file: string, record: DigestRecord): void {
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, `${file}.json`);
  const tmp = `${dest}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`);
  renameSync(tmp, dest);
}

/**
 * Empties the folders prefetch nodes export to before they run again: BuildKit's local export
 * merges into a folder, so a file no longer in the image, or now filtered out, would stay in
 * the build's context. Only a folder named <out>/prefetch/<node> is touched.
 */
export function clearPrefetchFolders(cwd: string, folders: readonly string[]): void {
  for (const f of folders) {
    const path = resolve(cwd, f);
    if (basename(dirname(path)) === "prefetch") rmSync(path, { recursive: true, force: true });
  }
}
