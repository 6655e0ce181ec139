// JSON Schemas for what users write, made from the same zod schemas the loader uses, so an
// editor's checks and dalec-bake's never disagree on shape. Scalars dalec-bake coerces (numbers
// in string fields, `0755` modes) are accepted as Dalec accepts them. The cross-field rules of
// spec/rules.ts (one source variant, patch paths, declared args...) are beyond a JSON Schema:
// `dalec-bake lint` checks those.
import { z } from "zod";
import { matrixSchema } from "../matrix/schema.js";
import { jsonSchemaOverride } from "./scalars.js";
import { specSchema } from "./schema.js";

type Json = Record<string, unknown>;

function toSchema(schema: z.ZodType, title: string, description: string): Json {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12", override: jsonSchemaOverride }) as Json;
  return { ...out, title, description };
}

export function specJsonSchema(): Json {
  const s = toSchema(specSchema, "Dalec spec", "A Dalec package spec, as dalec-bake and Dalec read it.");
  // Top-level `x-` keys hold YAML anchors; Dalec and dalec-bake ignore them.
  return { ...s, patternProperties: { "^[xX]-": {} } };
}

export function matrixJsonSchema(): Json {
  return toSchema(matrixSchema, "dalec-bake matrix file", "dalec-bake.yaml: which specs, distros, arches and axes to build.");
}
