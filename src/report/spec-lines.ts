// After a failure: the messages of the shared nodes that name a spec field, with the line the
// tree's spec-fields.tsv gives for it (see render/spec-fields.ts).
export interface SpecLine {
  /** PATH:LINE:COL, PATH relative to the tree. */
  at: string;
  /** FIELD: TEXT, the message without its spec file. */
  message: string;
}

/**
 * The messages in `log` that name a spec field listed in `fields` (the file's content), once
 * each, in order. bake.sh does the same in awk.
 */
export function specLines(fields: string, log: string): SpecLine[] {
  const at = new Map<string, string>();
  for (const line of fields.split("\n")) {
    const tab = line.indexOf("\t");
    if (!line.startsWith("#") && tab > 0) at.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const out: SpecLine[] = [];
  const seen = new Set<string>();
  for (const line of log.split("\n")) {
    const i = line.indexOf("dalec-bake: ");
    if (i < 0) continue;
    const msg = line.slice(i + "dalec-bake: ".length).trimEnd();
    const parts = msg.split(": ");
    if (parts.length < 3) continue;
    const where = at.get(`${parts[0]}: ${parts[1]}`);
    if (!where || seen.has(msg)) continue;
    seen.add(msg);
    out.push({ at: where, message: msg.slice(parts[0]!.length + 2) });
  }
  return out;
}
