import { describe, expect, it } from "vitest";
import { shlexSplit } from "../../../src/spec/shlex.js";

describe("shlexSplit (Dalec's test steps and image entrypoints)", () => {
  it.each([
    ["echo hello", ["echo", "hello"]],
    ['echo "Hello, world!"', ["echo", "Hello, world!"]],
    [`/bin/sh -c 'echo "Hello, world!" >&2'`, ["/bin/sh", "-c", 'echo "Hello, world!" >&2']],
    ["a\\ b c", ["a b", "c"]],
    ['x "a\\"b" y', ["x", 'a"b', "y"]],
    ["cmd # a comment", ["cmd"]],
    ["  spaced\t\nout  ", ["spaced", "out"]],
    ["--name world", ["--name", "world"]],
    // google/shlex: in double quotes a backslash takes any next character literally
    ['printf "a\\tb"', ["printf", "atb"]],
    ['x "a\\\\b"', ["x", "a\\b"]],
    // only space, tab, CR and LF split words
    ["a\u00a0b\vc", ["a\u00a0b\vc"]],
    ['"" x', ["", "x"]],
    ["a#b", ["a#b"]],
  ])("%s", (line, argv) => {
    expect(shlexSplit(line)).toEqual(argv);
  });

  it("rejects an unclosed quote", () => {
    expect(() => shlexSplit("echo 'oops")).toThrow("unclosed single quote");
    expect(() => shlexSplit('echo "oops')).toThrow("unclosed double quote");
  });

  it("rejects a backslash at the end, as Dalec does", () => {
    expect(() => shlexSplit("echo foo\\")).toThrow("a backslash at the end of the command escapes nothing");
  });
});
