// Dalec's include/exclude patterns, as the regex that bash and JavaScript both filter with.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { passesFilters, patternsRegex } from "../../../src/spec/patterns.js";

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
  [["a[^x]b"], "a/b", false],
  [["\\*.txt"], "*.txt", true],
  [["\\*.txt"], "a.txt", false],
];

describe("include/exclude patterns", () => {
  it.each(cases)("%j matches %s: %s", (patterns, rel, match) => {
    expect(passesFilters(rel, patterns, [])).toBe(match);
    expect(passesFilters(rel, [], patterns)).toBe(!match);
  });

  it("bash's [[ =~ ]] agrees with JavaScript on each case", async () => {
    const script = 'if [[ $2 =~ $1 ]]; then echo 1; else echo 0; fi';
    for (const [patterns, rel, match] of cases) {
      const r = await execa("bash", ["-c", script, "bash", patternsRegex(patterns), rel]);
      expect(r.stdout, `${patterns.join(",")} ${rel}`).toBe(match ? "1" : "0");
    }
  });

  it("no pattern keeps everything", () => {
    expect(passesFilters("any/thing", [], [])).toBe(true);
  });
});
