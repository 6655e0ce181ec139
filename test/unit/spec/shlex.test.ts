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
  ])("%s", (line, argv) => {
    expect(shlexSplit(line)).toEqual(argv);
  });

  it("rejects an unclosed quote", () => {
    expect(() => shlexSplit("echo 'oops")).toThrow("unclosed single quote");
  });
});
