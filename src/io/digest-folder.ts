// Reads the digests earlier jobs recorded (`<out>/digests/*.json`, one per pushed node; in
// GitHub Actions, the artifacts of the earlier levels' jobs downloaded into one folder).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";

export interface DigestRecord {
  node: string;
  ref: string;
}

export function readDigests(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const path = join(dir, f);
    let r: Partial<DigestRecord>;
    try {
      r = JSON.parse(readFileSync(path, "utf8")) as Partial<DigestRecord>;
    } catch (e) {
      throw new UserError(`${path}: expected a digest record as JSON, found unreadable text (${(e as Error).message})`);
    }
    if (typeof r.node !== "string" || typeof r.ref !== "string" || !/@sha256:[0-9a-f]{64}$/.test(r.ref))
      throw new UserError(`${path}: expected {"node": NAME, "ref": "REPOSITORY@sha256:..."}, found ${JSON.stringify(r).slice(0, 200)}`);
    out.set(r.node, r.ref);
  }
  return out;
}
