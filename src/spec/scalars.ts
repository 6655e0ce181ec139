// Scalar coercions matching Dalec's loader: numbers and booleans written in string fields
// become strings, and permission modes accept `0755` and `0o755` alike as octal.
import { z } from "zod";
import { YamlNumber } from "../yaml/read.js";

const yamlNumber = z.instanceof(YamlNumber);

// What JSON Schema cannot see through: a YAML number kept with its text is, to an editor, a
// number; an `orEmpty` field takes null too (its preprocessing step turns null into {}).
const AS_NUMBER = new WeakSet<object>([yamlNumber]);
const NULL_OK = new WeakSet<object>();

/** For z.toJSONSchema's `override`: describes the two cases above as their input looks. */
export function jsonSchemaOverride(ctx: { zodSchema: object; jsonSchema: Record<string, unknown> }): void {
  const js = ctx.jsonSchema;
  if (AS_NUMBER.has(ctx.zodSchema)) {
    for (const k of Object.keys(js)) delete js[k];
    js.type = "number";
  } else if (NULL_OK.has(ctx.zodSchema)) {
    const inner = { ...js };
    for (const k of Object.keys(js)) delete js[k];
    js.anyOf = [inner, { type: "null" }];
  }
}

export const str = z
  .union([z.string(), z.number(), z.boolean(), yamlNumber], { error: "expected a string" })
  .transform((v) => (v instanceof YamlNumber ? v.text : String(v)));

export const mode = z
  .union([z.number(), yamlNumber], { error: "expected a file mode such as 0o755" })
  .transform((v) => (v instanceof YamlNumber ? v.mode : v))
  .pipe(z.number().int().min(0).max(0o7777, { error: "expected a file mode between 0 and 0o7777" }));

export const int = z
  .union([z.number(), yamlNumber], { error: "expected an integer" })
  .transform((v) => (v instanceof YamlNumber ? v.value : v))
  .pipe(z.number().int({ error: "expected an integer" }));

/** A map whose values may be strings, numbers or booleans (env, labels): all become strings. */
export const strMap = z.record(z.string(), str.nullable().transform((v) => v ?? ""));

/** `x: ~` and a missing key mean the same: absent. */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}

/** `name:` (null) and `name: {}` mean the same: an entry with no settings. */
export function orEmpty<T extends z.ZodType>(schema: T) {
  const out = z.preprocess((v) => v ?? {}, schema);
  NULL_OK.add(out);
  return out;
}
