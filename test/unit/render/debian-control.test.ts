import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { renderControl, renderCopyright, renderPackageList } from "../../../src/render/debian-control.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";

const spec = parseSpec(
  `name: demo
version: 2.1
revision: 3
packager: Someone
website: https://example.invalid/demo
description: |
  A demo
  Longer text.

  After a blank line.
dependencies:
  build:
    gcc:
    make:
      version: [">= 4.0", "< 5"]
  runtime:
    libfoo:
      version: ["1.2"]
`,
  "demo.yml",
);

describe("Debian control and package lists", () => {
  const r = resolveSpec(spec, { distro: DISTROS.trixie!, arch: "arm64", args: {} });

  it("writes the control file as Dalec does", () => {
    const lines = renderControl(r, DISTROS.trixie!).split("\n").filter((l) => !l.startsWith("#"));
    expect(lines).toEqual([
      "Package: demo",
      "Version: 2.1-debian13u3",
      "Architecture: @ARCH@",
      "Maintainer: Someone <dalec@users.noreply.github.com>",
      "Section: misc",
      "Priority: optional",
      "Homepage: https://example.invalid/demo",
      "Depends: libfoo (= 1.2)",
      "Description: A demo",
      " Longer text.",
      " .",
      " After a blank line.",
      "",
    ]);
  });

  it("leaves out of Recommends what Depends already gives, as dpkg-gencontrol does", () => {
    const s = parseSpec(
      "name: d\nversion: 1\ndependencies:\n  runtime:\n    foo:\n      version: ['>= 1']\n    bar:\n  recommends:\n    foo:\n    bar:\n      version: ['>= 2']\n    baz:\n      version: ['>= 1']\n    qux:\n      version: ['>= 1', '<< 3']\n    qux2:\n",
      "d.yml",
    );
    const sameAsDepends = parseSpec("name: d\nversion: 1\ndependencies:\n  runtime:\n    qux:\n      version: ['>= 1']\n  recommends:\n    qux:\n      version: ['>= 1', '<< 3']\n", "d.yml");
    const field = (text: string, name: string) => text.split("\n").find((l) => l.startsWith(`${name}: `));
    const control = renderControl(resolveSpec(s, { distro: DISTROS.bookworm!, arch: "amd64", args: {} }), DISTROS.bookworm!);
    expect(field(control, "Recommends")).toBe("Recommends: bar (>= 2), baz (>= 1), qux (>= 1), qux (<< 3), qux2");
    const other = renderControl(resolveSpec(sameAsDepends, { distro: DISTROS.bookworm!, arch: "amd64", args: {} }), DISTROS.bookworm!);
    expect(field(other, "Recommends")).toBe("Recommends: qux (<< 3)");
  });

  it("writes a machine-readable copyright file from the spec's metadata", () => {
    const lines = renderCopyright(r).split("\n").filter((l) => !l.startsWith("#"));
    expect(lines).toEqual([
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
      "Upstream-Name: demo",
      "Source: https://example.invalid/demo",
      "",
      "Files: *",
      "Copyright: Someone",
      "License: unknown",
      "",
    ]);
  });

  it("keeps every version constraint in the lists apt-get satisfy reads", () => {
    const lines = renderPackageList(r.deps.build).split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines).toEqual(["gcc", "make (>= 4.0), make (<< 5)"]);
  });
});
