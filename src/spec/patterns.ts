// Dalec's path patterns (a source's includes and excludes, .dockerignore lines), as BuildKit's
// pattern matcher reads them, turned into regular expressions that bash (lib/sources.sh) and
// JavaScript both filter with.

/**
 * One Docker/Dalec path pattern as a bash ERE, as moby/patternmatcher (BuildKit's filters) reads
 * it: `*` and `?` stay within a path segment, `**` spans whole segments (see below), `[a-z]` and
 * `[^a-z]` are character classes, `\` quotes the next character, and a pattern naming a
 * directory also matches everything under it.
 */
export function patternRegex(p: string): string {
  return `^${patternBody(p)}(/.*)?$`;
}

/** A pattern's regex, without the anchors and the folder suffix. */
function patternBody(p: string): string {
  let out = "";
  const clean = p.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (c === "*" && clean[i + 1] === "*") {
      const first = i === 0;
      i++;
      // BuildKit's matcher: `a/**/b` and `a/**b` are a/b, a/x/b, a/x/y/b, and never a/xb;
      // `**` last is anything, and first, before no other wildcard, any path ending so
      // (its suffix match: `**.go` is x.go and a/x.go).
      if (clean[i + 1] === "/") {
        out += "(.*/)?";
        i++;
      } else if (i + 1 === clean.length || (first && !/[*?[\\]/.test(clean.slice(i + 1)))) out += ".*";
      else out += "(.*/)?";
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < clean.length) out += regexEscape(clean[++i]!);
    else if (c === "[" && classEnd(clean, i) > 0) {
      // a class (`[a-z]`, `[^a-z]`) goes to the regex as it is, as BuildKit's matcher hands it
      // to Go's regexp: `[^x]` matches a separator too
      const end = classEnd(clean, i);
      out += clean.slice(i, end + 1);
      i = end;
    } else out += regexEscape(c);
  }
  return out;
}

/**
 * A list of patterns as lib/sources.sh's dalec_filter takes it. Without exceptions, one regex
 * that any pattern matches. With `!` exceptions, one rule per line in order, `+REGEX` or
 * `!REGEX`, the last that matches deciding, as BuildKit's matcher reads `excludes: [docs,
 * "!docs/man"]`: everything under docs but docs/man.
 */
export function patternRules(patterns: readonly string[]): string {
  if (!patterns.length) return "";
  if (!patterns.some((p) => p.startsWith("!"))) return `^(${patterns.map(patternBody).join("|")})(/.*)?$`;
  return patterns.map((p) => (p.startsWith("!") ? `!${patternRegex(p.slice(1))}` : `+${patternRegex(p)}`)).join("\n");
}

/** Whether REL matches PATTERNS: the last pattern matching it, or a folder above it, decides. */
export function patternsMatch(rel: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    const exception = p.startsWith("!");
    if (new RegExp(patternRegex(exception ? p.slice(1) : p)).test(rel)) matched = !exception;
  }
  return matched;
}

/** Whether REL (a path relative to a source's root) passes a source's includes and excludes. */
export function passesFilters(rel: string, includes: readonly string[], excludes: readonly string[]): boolean {
  if (includes.length && !patternsMatch(rel, includes)) return false;
  return !(excludes.length && patternsMatch(rel, excludes));
}

/**
 * What is wrong with a pattern that BuildKit's matcher refuses (it builds nothing then), or
 * undefined: a lone `!`, a class left open, a trailing `\` (Go's filepath.Match: ErrBadPattern).
 */
export function patternProblem(p: string): string | undefined {
  const body = p.startsWith("!") ? p.slice(1) : p;
  if (p.startsWith("!") && !body.trim()) return "a path pattern after \"!\"";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      if (i + 1 === body.length) return "a character after the trailing \"\\\"";
      i++;
    } else if (body[i] === "[") {
      const end = classEnd(body, i);
      if (end < 0) return "a \"]\" closing the class that \"[\" opens";
      const inner = body.slice(body[i + 1] === "^" ? i + 2 : i + 1, end);
      // what bash's and JavaScript's regexes would read differently (or refuse)
      if (/[\\[\]]/.test(inner)) return "a class of plain characters and ranges (no \"\\\", \"[\" or \"]\" inside it)";
      for (let k = 1; k + 1 < inner.length; k++) {
        if (inner[k] === "-" && inner[k - 1]! > inner[k + 1]!) return `a range from low to high, not "${inner.slice(k - 1, k + 2)}"`;
      }
      i = end;
    }
  }
  return undefined;
}

/** Where the class opening at `start` closes (it holds at least one character), or -1. */
function classEnd(pattern: string, start: number): number {
  return pattern.indexOf("]", pattern[start + 1] === "^" ? start + 3 : start + 2);
}

/** One character as itself in a regular expression, in bash's ERE and in JavaScript alike. */
export function regexEscape(c: string): string {
  return /[.+()|{}^$\\[\]*?]/.test(c) ? `\\${c}` : c;
}
