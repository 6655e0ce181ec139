import { describe, expect, it } from "vitest";
import { keyFolders } from "../../../src/render/keyed-files.js";

const leaves = [
  { distro: "bookworm", arch: "amd64", variant: "release" },
  { distro: "bookworm", arch: "amd64", variant: "debug" },
  { distro: "trixie", arch: "amd64", variant: "release" },
  { distro: "trixie", arch: "arm64", variant: "release" },
];
const coords = ["distro", "arch", "variant"];
const one = (name: string, text: string) => new Map([[name, text]]);

describe("keyFolders", () => {
  it("stores content that never changes once, with no coordinates in its folder", () => {
    const r = keyFolders("test", coords, leaves, leaves.map(() => one("test.sh", "same")));
    expect(r.folder.coords).toEqual([]);
    expect([...r.files.keys()]).toEqual(["test/test.sh"]);
  });

  it("names a folder by exactly the coordinates its content depends on", () => {
    const r = keyFolders("build", coords, leaves, leaves.map((v) => one("build.sh", `mode=${v.variant}`)));
    expect(r.folder.coords).toEqual(["variant"]);
    expect([...r.files.entries()]).toEqual([
      ["build--release/build.sh", "mode=release"],
      ["build--debug/build.sh", "mode=debug"],
    ]);
  });

  it("keys a folder of several files by all of them together", () => {
    const contents = leaves.map((v) => new Map([["control", `v=${v.distro}`], ["copyright", `arch=${v.arch}`]]));
    const r = keyFolders("pkg", coords, leaves, contents);
    expect(r.folder.coords).toEqual(["distro", "arch"]);
    expect(r.files.get("pkg--trixie--arm64/copyright")).toBe("arch=arm64");
    expect(r.files.size).toBe(6);
  });
});
