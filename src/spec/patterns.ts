// Dalec's path patterns (a source's includes and excludes, .dockerignore lines) as one regular
// expression, the same for bash (lib/sources.sh filters with it) and for JavaScript.

/**
 * Docker/Dalec path patterns as one bash ERE: `*` and `?` stay within a path segment, `**`
 * crosses segments, and a pattern naming a directory also matches everything under it.
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
      else if (/[.+()|{}^$\\[\]]/.test(c)) out += `\\${c}`;
      else out += c;
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
