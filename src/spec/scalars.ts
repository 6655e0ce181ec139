// Scalar coercions matching Dalec's loader: numbers and booleans written in string fields
// become strings, and permission modes accept `0755` and `0o755` alike as octal.
import { z } from "zod";
import { LeadingZeroInt } from "../yaml/read.js";

const leadingZero = z.instanceof(LeadingZeroInt);

export const str = z
  .union([z.string(), z.number(), z.boolean(), leadingZero], { error: "expected a string" })
  .transform((v) => (v instanceof LeadingZeroInt ? v.text : String(v)));

export const mode = z
  .union([z.number(), leadingZero], { error: "expected a file mode such as 0o755" })
  .transform((v) => (v instanceof LeadingZeroInt ? v.octal : v))
  .pipe(z.number().int().min(0).max(0o7777, { error: "expected a file mode between 0 and 0o7777" }));

export const int = z
  .union([z.number().int(), leadingZero], { error: "expected an integer" })
  .transform((v) => (v instanceof LeadingZeroInt ? v.decimal : v));

/** A map whose values may be strings, numbers or booleans (env, labels): all become strings. */
export const strMap = z.record(z.string(), str.nullable().transform((v) => v ?? ""));

/** `x: ~` and a missing key mean the same: absent. */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}

/** `name:` (null) and `name: {}` mean the same: an entry with no settings. */
export function orEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => v ?? {}, schema);
}
