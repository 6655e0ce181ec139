// Turns the first zod issue into one UserError that says what was expected, what was found and
// where. Parsed data never gets cast: it passes a schema or the user hears why not.
import type { z } from "zod";
import { UserError } from "../errors.js";
import { YamlNumber } from "./read.js";
import type { Path, ReadYaml } from "./read.js";

export function parseWith<T extends z.ZodType>(schema: T, read: ReadYaml, what: string): z.output<T> {
  const result = schema.safeParse(read.value);
  if (result.success) return result.data;
  const issue = deepest(result.error.issues[0]!);
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const at = [...path, key];
    const loc = read.map.locate(at, true);
    const known = knownKeys(schema, path);
    const hint = known.length ? ` (expected one of: ${known.join(", ")})` : "";
    throw new UserError(`unknown field "${fieldName(at)}" in ${what}${hint}`, loc, read.map.frame(loc));
  }
  const loc = read.map.locate(path);
  const found = describe(valueAt(read.value, path));
  const expected = issue.code === "invalid_type" ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` : issue.message;
  const where = path.length ? `"${fieldName(path)}"` : what;
  throw new UserError(`${where}: ${expected}, found ${found}`, loc, read.map.frame(loc));
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  record: "a mapping",
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
};

// A union reports "no branch matched"; the branch that got furthest says more.
function deepest(issue: Issue): Issue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: Issue = issue;
  let bestLen = -1;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === "invalid_type" && inner.path.length === 0) continue;
      if (inner.path.length > bestLen) {
        bestLen = inner.path.length;
        best = { ...deepest(inner), path: [...issue.path, ...inner.path] } as Issue;
      }
    }
  }
  return bestLen < 0 ? issue : best;
}

export function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (v instanceof YamlNumber) return `the number ${v.text}`;
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

type Def = { type?: string } & Record<string, unknown>;

function defOf(s: unknown): Def | undefined {
  return (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

// Strips wrappers (pipes, nullables, unions of a record or list form) down to a container.
function unwrap(s: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = defOf(s);
    if (!def) return undefined;
    if (def.type === "pipe") s = def.in;
    else if (def.type === "nullable" || def.type === "optional" || def.type === "default") s = def.innerType;
    else if (def.type === "union") s = (def.options as unknown[])[0];
    else return s;
  }
  return undefined;
}

// Walks the schema along `path` to list the keys an object accepts, for the unknown-field hint.
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let s: unknown = schema;
  for (const p of path) {
    const def = defOf(unwrap(s));
    if (def?.type === "object") s = (def.shape as Record<string, unknown>)[String(p)];
    else if (def?.type === "record") s = def.valueType;
    else if (def?.type === "array") s = def.element;
    else return [];
  }
  const def = defOf(unwrap(s));
  return def?.type === "object" ? Object.keys(def.shape as object).sort() : [];
}
