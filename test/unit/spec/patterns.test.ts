// Dalec's include/exclude patterns, as the regexes that bash and JavaScript both filter with.
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { passesFilters, patternProblem, patternRules, patternsMatch } from "../../../src/spec/patterns.js";
import { ROOT } from "../../helpers/cli.js";

const cases: [string[], string, boolean][] = [
  [["*.txt"], "a.txt", true],
  [["*.txt"], "sub/a.txt", false],
  [["**/*.txt"], "sub/deep/a.txt", true],
  [["sub"], "sub/deep/a.txt", true],
  [["sub"], "subway.txt", false],
  [["./sub/"], "sub/a", true],
  [["a?.md"], "ab.md", true],
  [["a?.md"], "a/.md", false],
  [["a.b"], "axb", false],
  [["x+(y)"], "x+(y)", true],
  // Go's filepath.Match classes and escapes, as BuildKit's filters read them
  [["v[0-9].txt"], "v3.txt", true],
  [["v[0-9].txt"], "vx.txt", false],
  [["v[^0-9].txt"], "vx.txt", true],
  [["v[^0-9].txt"], "v3.txt", false],
  // a class goes to Go's regexp as it is in BuildKit's matcher: a negated one matches a separator
  [["a[^x]b"], "a/b", true],
  [["\\*.txt"], "*.txt", true],
  [["\\*.txt"], "a.txt", false],
  // `**/` spans whole segments only, as in BuildKit's matcher
  [["a/**/b"], "a/b", true],
  [["a/**/b"], "a/x/y/b", true],
  [["a/**/b"], "a/xb", false],
  [["**/b"], "b", true],
  [["**/b"], "xb", false],
  [["a/**b"], "a/b", true],
  [["a/**b"], "a/x/b", true],
  [["a/**b"], "a/xb", false],
  [["src/**.go"], "src/a.go", false],
  [["src/**.go"], "src/x/.go", true],
  // `**` first, before no other wildcard: any path ending so
  [["**.go"], "x/y.go", true],
  [["**.go"], "y.go", true],
  [["**.go"], "y.gox", false],
  // `!` exceptions: the last pattern that matches the path or a folder above it decides
  [["docs", "!docs/man"], "docs/man/a.1", false],
  [["docs", "!docs/man"], "docs/man", false],
  [["docs", "!docs/man"], "docs/index.md", true],
  [["docs", "!docs/man"], "docs", true],
  [["*.md", "!README.md"], "README.md", false],
  [["*.md", "!README.md"], "NEWS.md", true],
  [["!README.md", "*.md"], "README.md", true],
  [["docs", "!docs/man", "docs/man/secret"], "docs/man/secret", true],
  [["docs", "!docs/man", "docs/man/secret"], "docs/man/page.1", false],
];

describe("include/exclude patterns", () => {
  it.each(cases)("%j matches %s: %s", (patterns, rel, match) => {
    expect(passesFilters(rel, patterns, [])).toBe(match);
    expect(passesFilters(rel, [], patterns)).toBe(!match);
  });

  it("lib/sources.sh's dalec_matches agrees with JavaScript on each case", async () => {
    const script = '. "$1" && if dalec_matches "$2" "$3"; then echo 1; else echo 0; fi';
    for (const [patterns, rel, match] of cases) {
      const r = await execa("bash", ["-c", script, "bash", join(ROOT, "dockerfiles/lib/sources.sh"), patternRules(patterns), rel]);
      expect(r.stdout, `${patterns.join(",")} ${rel}`).toBe(match ? "1" : "0");
    }
  });

  it("bash and JavaScript agree on arbitrary pattern lists, exceptions and all", async () => {
    // Patterns and paths from a small alphabet, so that they often match: segments, wildcards,
    // classes, escapes, folders and `!`.
    const part = fc.constantFrom("a", "b", "ab", ".", "*", "?", "**", "[ab]", "[^a]", "\\*", "+");
    const pattern = fc
      .tuple(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom("", "/"), { minLength: 4, maxLength: 4 }))
      .map(([bang, parts, seps]) => `${bang ? "!" : ""}${parts.map((p, i) => `${p}${i < parts.length - 1 ? seps[i] || "/" : ""}`).join("")}`)
      .filter((p) => !patternProblem(p));
    const path = fc.array(fc.constantFrom("a", "b", "ab", "a.b", "+", "*", "ba"), { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
    const cases = fc.sample(fc.tuple(fc.array(pattern, { minLength: 1, maxLength: 3 }), path), { numRuns: 300, seed: 7 });
    // one bash for every case: PATTERNS and PATH per case, NUL-separated
    const input = cases.map(([patterns, rel]) => `${patternRules(patterns)}\0${rel}\0`).join("");
    const script = '. "$1"; while IFS= read -r -d "" rules && IFS= read -r -d "" rel; do if dalec_matches "$rules" "$rel"; then echo 1; else echo 0; fi; done';
    const r = await execa("bash", ["-c", script, "bash", join(ROOT, "dockerfiles/lib/sources.sh")], { input });
    const got = r.stdout.split("\n");
    expect(got).toHaveLength(cases.length);
    cases.forEach(([patterns, rel], i) => expect(got[i], `${JSON.stringify(patterns)} ${rel}`).toBe(patternsMatch(rel, patterns) ? "1" : "0"));
    // the sample is not degenerate: both outcomes occur
    expect(new Set(got)).toEqual(new Set(["0", "1"]));
  });

  it("without exceptions is one regex; with them, ordered rules", () => {
    expect(patternRules(["a", "b/*"])).toBe("^(a|b/[^/]*)(/.*)?$");
    expect(patternRules(["a", "!a/b"]).split("\n")).toEqual(["+^a(/.*)?$", "!^a/b(/.*)?$"]);
  });

  it("names what BuildKit's matcher would refuse", () => {
    expect(patternProblem("!")).toBe('a path pattern after "!"');
    expect(patternProblem("v[0-9.txt")).toBe('a "]" closing the class that "[" opens');
    expect(patternProblem("a\\")).toBe('a character after the trailing "\\"');
    expect(patternProblem("!docs/[a-z]*/\\*")).toBeUndefined();
    // classes bash's and JavaScript's regexes would read differently, or refuse
    expect(patternProblem("x[a\\-z]")).toBe('a class of plain characters and ranges (no "\\", "[" or "]" inside it)');
    expect(patternProblem("[]a]")).toBe('a class of plain characters and ranges (no "\\", "[" or "]" inside it)');
    expect(patternProblem("[[:digit:]]")).toBe('a class of plain characters and ranges (no "\\", "[" or "]" inside it)');
    expect(patternProblem("v[z-a]")).toBe('a range from low to high, not "z-a"');
  });

  it("no pattern keeps everything", () => {
    expect(passesFilters("any/thing", [], [])).toBe(true);
  });
});
