// `${VAR}` substitution as Dalec does it: only in the fields Dalec substitutes (see resolve.ts),
// only declared args, and the platform args only when the spec opts in by declaring them.
import { UserError } from "../errors.js";
import type { Path, SourceMap } from "../yaml/read.js";

/** Args Dalec fills from the platform or target, used only when declared with no default. */
export const OPT_IN_ARGS = ["TARGETOS", "TARGETARCH", "TARGETPLATFORM", "TARGETVARIANT", "DALEC_TARGET"] as const;
/** Args Dalec accepts without declaring them. */
const IMPLICIT_ARGS = new Set(["SOURCE_DATE_EPOCH"]);

export interface ArgScope {
  /** Declared args and their values; `undefined` = declared with no value (left as written). */
  values: ReadonlyMap<string, string | undefined>;
  map: SourceMap;
}

const VAR = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function substitute(text: string, scope: ArgScope, path: Path): string {
  return text.replace(VAR, (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    if (whole === "\\$") return "$";
    const name = (braced ?? bare)!;
    if (!scope.values.has(name)) {
      if (name === "DALEC_TARGET") return whole;
      if (IMPLICIT_ARGS.has(name)) return whole;
      const loc = scope.map.locate(path);
      const optIn = (OPT_IN_ARGS as readonly string[]).includes(name);
      const msg = optIn
        ? `opt-in arg "${name}" is used but not declared: add "${name}:" with no value under args`
        : `build arg "${name}" is used but not declared under args`;
      throw new UserError(msg, loc, scope.map.frame(loc));
    }
    const value = scope.values.get(name);
    if (value === undefined) return op ? applyOp(op, word ?? "", undefined) : whole;
    return op ? applyOp(op, word ?? "", value) : value;
  });
}

function applyOp(op: string, word: string, value: string | undefined): string {
  switch (op) {
    case ":-":
      return value ? value : word;
    case "-":
      return value !== undefined ? value : word;
    case ":+":
      return value ? word : "";
    default:
      return value !== undefined ? word : "";
  }
}

/** Substitutes every value of a string map, keeping key order. */
export function substituteMap(m: Record<string, string> | undefined, scope: ArgScope, path: Path): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k] = substitute(v, scope, [...path, k]);
  return out;
}
