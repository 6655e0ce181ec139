// The one place that touches the output folder. It writes only what changed, never overwrites a
// file it did not generate, removes its own stale files (listed in its manifest), and stages
// every new file before renaming any into place, so a failure leaves the folder as it was.
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import { DriftError, UserError } from "../errors.js";
import { STAMP } from "../render/shell.js";

export const MANIFEST = ".dalec-bake-files";

export interface WriteReport {
  written: string[];
  removed: string[];
  unchanged: number;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "EISDIR") return undefined;
    throw e;
  }
}

async function oldManifest(outDir: string): Promise<Set<string>> {
  const text = await readOrUndefined(join(outDir, MANIFEST));
  return new Set((text ?? "").split("\n").filter((l) => l && !l.startsWith("#")));
}

function renderManifest(paths: readonly string[]): string {
  return `# ${STAMP}\n# Files dalec-bake generated here; it removes them when they are no longer generated.\n${paths.join("\n")}\n`;
}

function modeOf(path: string): number {
  return path.endsWith(".sh") ? 0o755 : 0o644;
}

/** Compares the tree with the folder; with `check`, throws DriftError instead of writing. */
export async function writeTree(outDir: string, tree: ReadonlyMap<string, string>, check: boolean): Promise<WriteReport> {
  const old = await oldManifest(outDir);
  const all = new Map(tree);
  all.set(MANIFEST, renderManifest([...tree.keys()]));
  const changed: string[] = [];
  let unchanged = 0;
  // Thousands of small files: reading and writing them one at a time is most of gen's time.
  const limit = pLimit(64);
  const entries = [...all];
  const currents = await Promise.all(entries.map(([path]) => limit(() => readOrUndefined(join(outDir, path)))));
  for (const [i, [path, content]] of entries.entries()) {
    const current = currents[i];
    if (current === content) {
      unchanged++;
      continue;
    }
    if (current !== undefined && path !== MANIFEST && !old.has(path) && !current.includes(STAMP)) {
      throw new UserError(`refusing to overwrite ${join(outDir, path)}: dalec-bake did not generate it (move it away or choose another --out)`);
    }
    changed.push(path);
  }
  const stale = [...old].filter((p) => !tree.has(p) && existsSync(join(outDir, p))).sort();
  if (check) {
    const drift = [...changed.filter((p) => p !== MANIFEST), ...stale.map((p) => `${p} (stale)`)];
    if (drift.length) throw new DriftError(drift.map((p) => join(outDir, p)));
    return { written: [], removed: [], unchanged };
  }
  const staged: [string, string][] = changed.map((path) => {
    const dest = join(outDir, path);
    return [`${dest}.dalec-bake-${process.pid}.tmp`, dest];
  });
  try {
    const dirs = [...new Set(staged.map(([, dest]) => dirname(dest)))];
    await Promise.all(dirs.map((dir) => limit(() => mkdir(dir, { recursive: true }))));
    await Promise.all(staged.map(([tmp], i) => limit(() => writeFile(tmp, all.get(changed[i]!)!, { mode: modeOf(changed[i]!) }))));
  } catch (e) {
    await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true })));
    throw e;
  }
  // The manifest goes last: until it lands, the old one still lists every file we own.
  const manifest = staged.filter(([, dest]) => dest.endsWith(MANIFEST));
  await Promise.all(staged.filter(([, dest]) => !dest.endsWith(MANIFEST)).map(([tmp, dest]) => limit(() => rename(tmp, dest))));
  for (const [tmp, dest] of manifest) await rename(tmp, dest);
  for (const p of stale) {
    await rm(join(outDir, p), { force: true });
    await removeEmptyParents(outDir, dirname(p));
  }
  return { written: changed.filter((p) => p !== MANIFEST), removed: stale, unchanged };
}

async function removeEmptyParents(root: string, rel: string): Promise<void> {
  let dir = rel;
  while (dir && dir !== ".") {
    const full = join(root, dir);
    if (!existsSync(full) || (await readdir(full)).length) return;
    await rmdir(full);
    dir = dirname(dir);
  }
}
