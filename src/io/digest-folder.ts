// Reads the digests pushed nodes were recorded with: this machine's own records
// (`<out>/digests/*.json`) and, in GitHub Actions, those of the earlier levels' jobs, downloaded
// from their artifacts into `<out>/digests/earlier/`. Only records of the current run count:
// runs never mix, and an old record never wins over what this run pushes.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { EARLIER } from "../run/digests.js";
import type { DigestRecord } from "../run/digests.js";

const FIX = "(delete it, or the folder, and build again)";

export function readDigests(dir: string, run: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of [join(dir, EARLIER), dir]) {
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder).filter((n) => n.endsWith(".json")).sort()) {
      const path = join(folder, f);
      let r: Partial<DigestRecord>;
      try {
        r = JSON.parse(readFileSync(path, "utf8")) as Partial<DigestRecord>;
      } catch (e) {
        throw new UserError(`${path}: expected a digest record as JSON, found unreadable text (${(e as Error).message}) ${FIX}`);
      }
      if (typeof r.node !== "string" || typeof r.run !== "string" || typeof r.ref !== "string" || !/@sha256:[0-9a-f]{64}$/.test(r.ref))
        throw new UserError(`${path}: expected {"node": NAME, "ref": "REPOSITORY@sha256:...", "run": RUN}, found ${JSON.stringify(r).slice(0, 200)} ${FIX}`);
      if (r.run === run) out.set(r.node, r.ref);
    }
  }
  return out;
}
