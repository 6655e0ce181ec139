// Reads build contexts for fingerprints: generated files from the tree in memory (it may not be
// written yet), the user's own context folders from the disk.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, posix, relative, resolve } from "node:path";
import type { ContextReader } from "../graph/affected.js";

const hash = (data: string | Buffer, mode: string) => createHash("sha256").update(mode).update(data).digest("hex");

export function contextReader(outDir: string, tree: ReadonlyMap<string, string>): ContextReader {
  const cache = new Map<string, Map<string, string>>();
  return {
    files(dir) {
      const key = posix.normalize(dir);
      const known = cache.get(key);
      if (known) return known;
      const out = new Map<string, string>();
      const prefix = key === "." ? "" : `${key}/`;
      for (const [path, content] of tree) if (path.startsWith(prefix)) out.set(path.slice(prefix.length), hash(content, path.endsWith(".sh") ? "755" : "644"));
      if (!out.size) {
        const abs = resolve(outDir, key);
        const walk = (d: string) => {
          let names: string[];
          try {
            names = readdirSync(d);
          } catch {
            return;
          }
          for (const name of names) {
            const p = join(d, name);
            const st = statSync(p);
            if (st.isDirectory()) walk(p);
            else out.set(relative(abs, p).split("\\").join("/"), hash(readFileSync(p), (st.mode & 0o111 ? "755" : "644")));
          }
        };
        walk(abs);
      }
      cache.set(key, out);
      return out;
    },
    text(file) {
      return tree.get(posix.normalize(file));
    },
  };
}
