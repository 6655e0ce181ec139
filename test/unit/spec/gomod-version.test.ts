// gomod replace targets as Dalec normalizes them (its generator_gomod_test.go cases).
import { describe, expect, it } from "vitest";
import { normalizeReplaceTarget } from "../../../src/spec/gomod-version.js";

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
