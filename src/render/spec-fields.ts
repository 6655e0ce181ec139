// spec-fields.tsv: where each field of each spec is written. The shared nodes (sources, deps)
// name the spec file and the field in their messages, never a line: a line number in their
// inputs would rebuild them, and so the whole tree, whenever an edit moves lines. This file is
// read by nobody but bake.sh and `dalec-bake build` after a failure, to turn
// "dalec-bake: FILE: FIELD: ..." into "PATH:LINE:COL: FIELD: ...".
import type { LoadedSpec } from "../spec/load.js";
import { specFileName } from "../spec/load.js";
import { fieldName } from "../yaml/validate.js";
import { STAMP } from "./shell.js";

export const SPEC_FIELDS = "spec-fields.tsv";

/** `paths[i]`: spec i's file, relative to the output folder. */
export function renderSpecFields(specs: readonly LoadedSpec[], paths: readonly string[]): string {
  const lines = [
    `# ${STAMP}`,
    "# Where each spec field is written: \"SPEC-FILE: FIELD<TAB>PATH:LINE:COL\", PATH relative to this folder.",
    "# bake.sh reads it after a failure to point the shared nodes' messages at the spec line.",
  ];
  specs.forEach((spec, i) => {
    const name = specFileName(spec);
    const rows = spec.map
      .fields()
      // the top level's `x-` keys only hold anchors; the fields that use them are listed
      .filter(([path]) => path.length > 0 && !/^x-/i.test(String(path[0])))
      .map(([path, at]) => ({ field: fieldName(path), at }))
      .sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    for (const r of rows) lines.push(`${name}: ${r.field}\t${paths[i]}:${r.at.line}:${r.at.col}`);
  });
  return `${lines.join("\n")}\n`;
}
