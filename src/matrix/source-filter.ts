// A Dalec source filter file (what Dalec reads from DALEC_SOURCE_FILTER_CONFIG_PATH): YAML with
// `global_excludes`, BuildKit patterns added to every folder source's excludes. Pure: the
// caller reads the file the matrix file's `source_filter` names.
import { z } from "zod";
import { UserError } from "../errors.js";
import { patternProblem } from "../spec/patterns.js";
import { str } from "../spec/scalars.js";
import { readYaml } from "../yaml/read.js";
import { parseWith } from "../yaml/validate.js";

export const sourceFilterSchema = z
  .object({ global_excludes: z.array(str).optional().describe("Patterns excluded from every folder source, relative to its root") })
  .strict()
  .nullable();

/** The file's excludes, each a pattern BuildKit's matcher takes (else an error where it is written). */
export function parseSourceFilter(text: string, file: string): string[] {
  const read = readYaml(text, file);
  const input = parseWith(sourceFilterSchema, read, "the source filter file");
  return (input?.global_excludes ?? []).map((p, i) => {
    const problem = patternProblem(p);
    if (problem) {
      const loc = read.map.locate(["global_excludes", i]);
      throw new UserError(`global_excludes: expected ${problem}, found ${JSON.stringify(p)}`, loc, read.map.frame(loc));
    }
    return p;
  });
}
