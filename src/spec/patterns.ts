// Dalec's path patterns (a source's includes and excludes, .dockerignore lines) as one regular
// expression, the same for bash (lib/sources.sh filters with it) and for JavaScript.

/**
 * Docker/Dalec path patterns as one bash ERE: `*` and `?` stay within a path segment, `**`
 * crosses segments, `[a-z]` and `[^a-z]` are character classes and `\` quotes the next
 * character (Go's filepath.Match, which BuildKit's filters use), and a pattern naming a
 * directory also matches everything under it.
 */
export function patternsRegex(patterns: readonly string[]): string {
  if (!patterns.length) return "";
  const one = (p: string) => {
    let out = "";
    const clean = p.replace(/^\.?\/+/, "").replace(/\/+$/, "");
    for (let i = 0; i < clean.length; i++) {
      const c = clean[i]!;
      if (c === "*" && clean[i + 1] === "*") {
        out += ".*";
        i++;
        if (clean[i + 1] === "/") i++;
      } else if (c === "*") out += "[^/]*";
      else if (c === "?") out += "[^/]";
      else if (c === "\\" && i + 1 < clean.length) out += regexEscape(clean[++i]!);
      else if (c === "[" && classEnd(clean, i) > 0) {
        // a class (Go's `[a-z]`, `[^a-z]`) never matches the separator
        const negated = clean[i + 1] === "^";
        const end = classEnd(clean, i);
        out += `[${negated ? "^/" : ""}${clean.slice(negated ? i + 2 : i + 1, end)}]`;
        i = end;
      } else out += regexEscape(c);
    }
    return out;
  };
  return `^(${patterns.map(one).join("|")})(/.*)?$`;
}

/** Whether REL (a path relative to a source's root) passes a source's includes and excludes. */
export function passesFilters(rel: string, includes: readonly string[], excludes: readonly string[]): boolean {
  if (includes.length && !new RegExp(patternsRegex(includes)).test(rel)) return false;
  return !(excludes.length && new RegExp(patternsRegex(excludes)).test(rel));
}

/** Where the class opening at `start` closes (it holds at least one character), or -1. */
function classEnd(pattern: string, start: number): number {
  return pattern.indexOf("]", pattern[start + 1] === "^" ? start + 3 : start + 2);
}

/** One character as itself in a regular expression, in bash's ERE and in JavaScript alike. */
export function regexEscape(c: string): string {
  return /[.+()|{}^$\\[\]*?]/.test(c) ? `\\${c}` : c;
}
