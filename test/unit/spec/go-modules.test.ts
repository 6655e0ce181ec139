// Go module rules as Dalec applies them: replace targets (its generator_gomod_test.go cases), drop paths.
import { describe, expect, it } from "vitest";
import { modulePathError, normalizeReplaceTarget } from "../../../src/spec/go-modules.js";

const cases: [string, string][] = [
  ["github.com/foo/bar@v2.3.4", "github.com/foo/bar@v2.3.4+incompatible"],
  ["github.com/foo/bar@v10.0.0-rc.1", "github.com/foo/bar@v10.0.0-rc.1+incompatible"],
  ["github.com/foo/bar@v1.2.3", "github.com/foo/bar@v1.2.3"],
  ["github.com/foo/bar@v0.9.0", "github.com/foo/bar@v0.9.0"],
  ["github.com/foo/bar/v2@v2.3.4", "github.com/foo/bar/v2@v2.3.4"],
  ["github.com/foo/bar@v2.3.4+incompatible", "github.com/foo/bar@v2.3.4+incompatible"],
  ["github.com/foo/bar@v2.3.4+meta", "github.com/foo/bar@v2.3.4+meta"],
  ["gopkg.in/yaml.v3@v3.0.1", "gopkg.in/yaml.v3@v3.0.1"],
  ["github.com/foo/bar@latest", "github.com/foo/bar@latest"],
  ["github.com/foo/bar@02.0.0", "github.com/foo/bar@02.0.0"],
  ["../local/bar", "../local/bar"],
  ["github.com/foo/bar@", "github.com/foo/bar@"],
];

describe("gomod replace targets", () => {
  it.each(cases)("%s -> %s", (given, want) => {
    expect(normalizeReplaceTarget(given)).toBe(want);
  });
});

describe("module paths (Go's module.CheckPath)", () => {
  const valid = ["example.com/a", "github.com/Foo/bar", "github.com/foo/bar/v2", "gopkg.in/yaml.v3", "golang.org/x/mod", "example.com/a~b_c"];
  const invalid: [string, string][] = [
    ["localmodule", "missing dot in first path element"],
    ["Example.com/a", 'invalid char "E" in first path element'],
    ["example.com//a", "double slash"],
    ["example.com/a/", "trailing slash"],
    ["/example.com", "empty path element"],
    ["-example.com", "leading dash"],
    ["example.com/.a", "leading dot in path element"],
    ["example.com/a.", "trailing dot in path element"],
    ["example.com/a b", 'invalid char " "'],
    ["example.com/a/v1", '"/v1" is not a major version suffix (expected /v2 or later)'],
    ["example.com/a/v2.1", '"/v2.1" is not a major version suffix (expected /v2 or later)'],
    ["gopkg.in/yaml", "a gopkg.in path must end in .vN"],
    ["example.com/con", 'disallowed path element "con"'],
    ["example.com/Aux.go", 'disallowed path element "Aux.go"'],
    ["example.com/abc~1", 'trailing tilde and digits in path element "abc~1"'],
  ];
  it.each(valid)("%s is valid", (p) => expect(modulePathError(p)).toBeUndefined());
  it.each(invalid)("%s: %s", (p, why) => expect(modulePathError(p)).toBe(why));
});
