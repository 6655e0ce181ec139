// `dalec-bake schema [spec|matrix]`: prints a JSON Schema for editors and CI checks.
import { UserError } from "../errors.js";
import { matrixJsonSchema, specJsonSchema } from "../spec/json-schema.js";

export function schemaCommand(which: string | undefined, out: (s: string) => void): number {
  const kind = which ?? "spec";
  if (kind !== "spec" && kind !== "matrix") throw new UserError(`schema: expected "spec" or "matrix", found "${kind}"`);
  out(`${JSON.stringify(kind === "spec" ? specJsonSchema() : matrixJsonSchema(), null, 2)}\n`);
  return 0;
}
