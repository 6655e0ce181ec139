import { describe, expect, it } from "vitest";
import { keyFiles } from "../../../src/render/keyed-files.js";

const leaves = [
  { distro: "bookworm", arch: "amd64", variant: "release" },
  { distro: "bookworm", arch: "amd64", variant: "debug" },
  { distro: "trixie", arch: "amd64", variant: "release" },
  { distro: "trixie", arch: "arm64", variant: "release" },
];
const coords = ["distro", "arch", "variant"];

describe("keyFiles", () => {
  it("stores content that never changes once, with no coordinates in its name", () => {
    const r = keyFiles("test", ".sh", coords, leaves, leaves.map(() => "same"));
    expect(r.file.coords).toEqual([]);
    expect([...r.files.keys()]).toEqual(["test.sh"]);
  });

  it("names a file by exactly the coordinates its content depends on", () => {
    const r = keyFiles("build", ".sh", coords, leaves, leaves.map((v) => `mode=${v.variant}`));
    expect(r.file.coords).toEqual(["variant"]);
    expect([...r.files.entries()]).toEqual([
      ["build--release.sh", "mode=release"],
      ["build--debug.sh", "mode=debug"],
    ]);
  });

  it("keeps two coordinates when neither alone determines the content", () => {
    const r = keyFiles("c", "", coords, leaves, leaves.map((v) => `${v.distro}/${v.arch}`));
    expect(r.file.coords).toEqual(["distro", "arch"]);
    expect(r.files.size).toBe(3);
  });
});
