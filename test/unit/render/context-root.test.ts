// The part of the build context a node mounts: the deepest folder holding every path it uses,
// always a plain folder name (lib/sources.sh matches .dockerignore's rules under it).
import { describe, expect, it } from "vitest";
import { contextRootOf } from "../../../src/render/context-root.js";
import { parseSpec } from "../../../src/spec/load.js";

const spec = parseSpec("name: d\nversion: 1\n", "d.yml");
const dirs = new Set(["src", "src/a", "src/b", "docs"]);
const probe = (rel: string) => (dirs.has(rel) || rel === "." ? "dir" : rel.endsWith(".txt") ? "file" : "missing");
const root = (...paths: string[]) => contextRootOf(spec, paths.map((path) => ({ path, at: ["name"], label: "source" })), probe);

describe("contextRootOf", () => {
  it("is the deepest folder holding every path", () => {
    expect(root("src/a", "src/b")).toBe("src");
    expect(root("src/a/x.txt")).toBe("src/a");
    expect(root("src", "docs")).toBe(".");
    expect(root()).toBeUndefined();
  });

  it("names a folder written with a trailing slash without it", () => {
    expect(root("src/")).toBe("src");
    expect(root("src/a/", "src/b/")).toBe("src");
    expect(root("./")).toBe(".");
  });
});
