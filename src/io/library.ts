// The Dockerfile.* library functions and their helper scripts ship in the package's
// dockerfiles/ folder; gen copies the ones the tree uses into the output folder.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const LIBRARY_DIR = fileURLToPath(new URL("../../dockerfiles/", import.meta.url));

export async function readLibrary(dir = LIBRARY_DIR): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  const out = new Map<string, string>();
  for (const f of files) out.set(relative(dir, f).split("\\").join("/"), await readFile(f, "utf8"));
  return out;
}
