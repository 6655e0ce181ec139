// Spec text -> SpecInput with its source map. Pure: the caller reads the file.
import { UserError } from "../errors.js";
import { readYaml } from "../yaml/read.js";
import type { SourceMap } from "../yaml/read.js";
import { parseWith } from "../yaml/validate.js";
import { checkSpecRules } from "./rules.js";
import { specSchema } from "./schema.js";
import type { SpecInput } from "./schema.js";

export interface LoadedSpec {
  file: string;
  input: SpecInput;
  map: SourceMap;
}

/** The spec file's own name (no folder), for messages that must not change with where it lives. */
export function specFileName(spec: LoadedSpec): string {
  return spec.file.split("\\").join("/").split("/").pop()!;
}

export function parseSpec(text: string, file: string): LoadedSpec {
  const read = readYaml(text, file);
  if (read.value === null || typeof read.value !== "object" || Array.isArray(read.value)) {
    const loc = { file, line: 1, col: 1 };
    throw new UserError("a spec must be a YAML mapping", loc);
  }
  // Dalec ignores top-level `x-`/`X-` keys: they exist to hold anchors.
  const body = Object.fromEntries(Object.entries(read.value).filter(([k]) => !/^x-/i.test(k)));
  const input = parseWith(specSchema, { value: body, map: read.map }, "the spec");
  const loaded = { file, input, map: read.map };
  checkSpecRules(loaded);
  return loaded;
}
