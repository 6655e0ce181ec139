// The one place that touches the output folder. It writes only what changed, never overwrites a
// file it did not generate, removes its own stale files (listed in its manifest), checks every
// path before changing anything, and stages every new file before renaming any into place, so a
// failure leaves the folder as it was. A path may change between file and folder (an inline
// source that was a folder and is now a file): stale files of its own in a new file's way go
// first, before staging (the one change a failed write can leave: files it would remove anyway).
//
// Synchronous calls on purpose: a tree is thousands of small files, and on these disks each
// promise-based call costs a trip through libuv's thread pool that outweighs the call itself
// (writing 850 files in 770 folders: about 50 ms synchronously, 130 ms with 64 calls in flight).
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DriftError, UserError } from "../errors.js";
import { STAMP } from "../render/shell.js";

export const MANIFEST = ".dalec-bake-files";

export interface WriteReport {
  written: string[];
  removed: string[];
  unchanged: number;
}

/** Every file under `dir`, relative to it, with `/` separators; empty when `dir` does not exist. */
function existingFiles(dir: string): Set<string> {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Set();
    throw e;
  }
  return new Set(entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/")));
}

function manifestPaths(text: string | undefined): Set<string> {
  return new Set((text ?? "").split("\n").filter((l) => l && !l.startsWith("#")));
}

function renderManifest(paths: readonly string[]): string {
  return `# ${STAMP}\n# Files dalec-bake generated here; it removes them when they are no longer generated.\n${paths.join("\n")}\n`;
}

function modeOf(path: string): number {
  return path.endsWith(".sh") ? 0o755 : 0o644;
}

/** Compares the tree with the folder; with `check`, throws DriftError instead of writing. */
export function writeTree(outDir: string, tree: ReadonlyMap<string, string>, check: boolean): WriteReport {
  const present = existingFiles(outDir);
  const read = (path: string) => (present.has(path) ? readFileSync(join(outDir, path), "utf8") : undefined);
  const old = manifestPaths(read(MANIFEST));
  const all = new Map(tree);
  all.set(MANIFEST, renderManifest([...tree.keys()]));
  const changed: string[] = [];
  let unchanged = 0;
  for (const [path, content] of all) {
    const current = read(path);
    if (current === content) {
      unchanged++;
      continue;
    }
    if (current !== undefined && path !== MANIFEST && !old.has(path) && !current.includes(STAMP)) {
      throw new UserError(`refusing to overwrite ${join(outDir, path)}: dalec-bake did not generate it (move it away or choose another --out)`);
    }
    changed.push(path);
  }
  const stale = [...old].filter((p) => !tree.has(p) && present.has(p)).sort();
  const inTheWay = checkInTheWay(outDir, changed, present, new Set(stale), old);
  if (check) {
    const drift = [...changed.filter((p) => p !== MANIFEST), ...stale.map((p) => `${p} (stale)`)];
    if (drift.length) throw new DriftError(drift.map((p) => join(outDir, p)));
    return { written: [], removed: [], unchanged };
  }
  // Stale files in the way of a new one (a folder that is now a file, or the reverse) go first;
  // the rest after the new files land.
  const first = new Set(inTheWay);
  for (const p of stale.filter((x) => first.has(x))) {
    rmSync(join(outDir, p), { force: true });
    removeEmptyParents(outDir, dirname(p));
  }
  const staged = changed.map((path) => {
    const dest = join(outDir, path);
    return { path, tmp: `${dest}.dalec-bake-${process.pid}.tmp`, dest };
  });
  try {
    for (const dir of new Set(staged.map((s) => dirname(s.dest)))) mkdirSync(dir, { recursive: true });
    for (const s of staged) writeFileSync(s.tmp, all.get(s.path)!, { mode: modeOf(s.path) });
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e;
  }
  // The manifest goes last: until it lands, the old one still lists every file we own.
  for (const s of staged) if (s.path !== MANIFEST) renameSync(s.tmp, s.dest);
  for (const s of staged) if (s.path === MANIFEST) renameSync(s.tmp, s.dest);
  for (const p of stale.filter((x) => !first.has(x))) {
    rmSync(join(outDir, p), { force: true });
    removeEmptyParents(outDir, dirname(p));
  }
  return { written: changed.filter((p) => p !== MANIFEST), removed: stale, unchanged };
}

/**
 * Each path to write must not lie under a file, nor be a folder, that holds anything but stale
 * files of ours: those (returned) are removed before the new files land; anything else is the user's.
 */
function checkInTheWay(outDir: string, changed: readonly string[], present: ReadonlySet<string>, stale: ReadonlySet<string>, old: ReadonlySet<string>): string[] {
  const inTheWay: string[] = [];
  let folders: Set<string> | undefined;
  for (const path of changed) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const up = parts.slice(0, i).join("/");
      if (!present.has(up)) continue;
      if (!stale.has(up)) {
        throw new UserError(`refusing to write ${join(outDir, path)}: ${join(outDir, up)} is a file${old.has(up) ? "" : " dalec-bake did not generate"} (move it away or choose another --out)`);
      }
      inTheWay.push(up);
    }
    folders ??= new Set([...present].flatMap((p) => p.split("/").slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join("/"))));
    if (!folders.has(path)) continue;
    const inside = [...present].filter((p) => p.startsWith(`${path}/`));
    const mine = inside.filter((p) => stale.has(p));
    if (mine.length < inside.length) {
      const theirs = inside.filter((p) => !stale.has(p));
      throw new UserError(`refusing to write ${join(outDir, path)}: it is a folder holding files dalec-bake did not generate (${theirs.slice(0, 3).map((p) => join(outDir, p)).join(", ")})`);
    }
    inTheWay.push(...mine);
  }
  return inTheWay;
}

function removeEmptyParents(root: string, rel: string): void {
  for (let dir = rel; dir && dir !== "."; dir = dirname(dir)) {
    const full = join(root, dir);
    try {
      if (readdirSync(full).length) return;
      rmdirSync(full);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw e;
    }
  }
}

/**
 * Writes one generated file outside a tree (the GitHub workflow): never over a file that does
 * not carry the generated stamp, and through a temporary file so a reader never sees half of it.
 */
export function writeGeneratedFile(path: string, content: string): "written" | "unchanged" {
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (current === content) return "unchanged";
  if (current !== undefined && !current.includes(STAMP)) throw new UserError(`refusing to overwrite ${path}: dalec-bake did not generate it (move it away first)`);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.dalec-bake-${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
  return "written";
}
