// `${VAR}` substitution as Dalec does it: only in the fields Dalec substitutes (see resolve.ts),
// only declared args, and the platform args only when the spec opts in by declaring them.
import { UserError } from "../errors.js";
import type { Path, SourceMap } from "../yaml/read.js";
import { regexEscape } from "./patterns.js";

/** Args Dalec fills from the platform or target, used only when declared with no default. */
export const OPT_IN_ARGS = ["TARGETOS", "TARGETARCH", "TARGETPLATFORM", "TARGETVARIANT", "DALEC_TARGET"] as const;
/** Args Dalec accepts without declaring them. */
const IMPLICIT_ARGS = new Set(["SOURCE_DATE_EPOCH"]);

export interface ArgScope {
  /** Declared args and their values (empty for one declared with none, as in Dalec). */
  values: ReadonlyMap<string, string>;
  map: SourceMap;
  /** Substitute nothing: the text as written (an image base, where Dalec substitutes no args). */
  verbatim?: boolean;
}

// `\$`, `$NAME`, or `${NAME}` with one of BuildKit's modifiers: `-`, `+`, `?` (each also with
// `:`), `#`/`##`/`%`/`%%` (a prefix or suffix pattern removed) and `/`/`//` (replaced).
const VAR = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?]|##?|%%?)([^}]*)|(\/\/?)((?:\\.|[^/}\\])*)\/([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function substitute(text: string, scope: ArgScope, path: Path): string {
  if (scope.verbatim) return text;
  return text.replace(VAR, (whole, braced: string | undefined, op: string | undefined, word: string | undefined, slash: string | undefined, pattern: string | undefined, replacement: string | undefined, bare: string | undefined) => {
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
    const value = scope.values.get(name)!;
    if (slash) {
      const re = shellPattern(pattern!, true, false);
      return slash === "//" ? value.replace(new RegExp(re.source, "g"), () => replacement!) : value.replace(re, () => replacement!);
    }
    if (op === "?" || op === ":?") {
      if (op === ":?" && value === "") {
        const loc = scope.map.locate(path);
        throw new UserError(`build arg "${name}": ${word || "is not allowed to be empty"}`, loc, scope.map.frame(loc));
      }
      return value;
    }
    if (op?.startsWith("#")) return trimPrefix(value, word ?? "", op === "##");
    if (op?.startsWith("%")) return trimSuffix(value, word ?? "", op === "%%");
    return op ? applyOp(op, word ?? "", value) : value;
  });
}

/** BuildKit's shell pattern (its lexer's convertShellPatternToRegex): `*`, `?` and `\` escapes. */
function shellPattern(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  let out = anchored ? "^" : "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") out += greedy ? ".*" : ".*?";
    else if (c === "?") out += ".";
    else if (c === "\\" && i + 1 < pattern.length) out += regexEscape(pattern[++i]!);
    else out += regexEscape(c);
  }
  return new RegExp(out);
}

function trimPrefix(value: string, pattern: string, greedy: boolean): string {
  const m = shellPattern(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** As BuildKit: the shortest (or longest) suffix, found as a prefix of both reversed. */
function trimSuffix(value: string, pattern: string, greedy: boolean): string {
  const reversed = [...pattern.matchAll(/\\.|./gs)].map((m) => m[0]).reverse().join("");
  const rev = (t: string) => [...t].reverse().join("");
  return rev(trimPrefix(rev(value), reversed, greedy));
}

/** `-` and `+` on a declared arg, which is always set; with `:`, an empty value counts as unset. */
function applyOp(op: string, word: string, value: string): string {
  switch (op) {
    case ":-":
      return value || word;
    case "-":
      return value;
    case ":+":
      return value ? word : "";
    default:
      return word;
  }
}

/** Substitutes every value of a string map, keeping key order. */
export function substituteMap(m: Record<string, string> | undefined, scope: ArgScope, path: Path): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k] = substitute(v, scope, [...path, k]);
  return out;
}
