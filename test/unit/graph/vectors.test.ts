import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { vectorArgs, vectors } from "../../../src/graph/vectors.js";
import type { Matrix } from "../../../src/matrix/model.js";

const matrix: Matrix = {
  file: undefined,
  specs: [],
  distros: [DISTROS.bookworm!, DISTROS.trixie!],
  arches: ["amd64", "arm64"],
  axes: [{ name: "variant", values: [{ name: "release", args: { MODE: "r" } }, { name: "debug", args: { MODE: "d" } }] }],
  defaults: { distro: "bookworm", arch: "amd64", variant: "release" },
  exclude: [{ distro: "trixie", variant: "debug" }],
  contexts: {},
  globalExcludes: [],
  contextDir: "/",
  registry: undefined,
  cache: { registry: undefined, gha: false },
};

describe("vectors", () => {
  it("is the product of the coordinates less the excludes, in matrix order", () => {
    const v = vectors(matrix);
    expect(v).toHaveLength(6);
    expect(v[0]).toEqual({ distro: "bookworm", arch: "amd64", variant: "release" });
    expect(v.some((x) => x.distro === "trixie" && x.variant === "debug")).toBe(false);
  });

  it("passes each axis value's build args", () => {
    expect(vectorArgs(matrix, { distro: "bookworm", arch: "amd64", variant: "debug" })).toEqual({ MODE: "d" });
  });
});
