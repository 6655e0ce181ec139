// An image base's command: taken from the bases in effect (a target's replace the spec's, even
// empty), and used as written, mounts too, as Dalec substitutes no args in an image's bases.
import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";

const SPEC = `
args:
  WHO: args
name: based
version: 1
image:
  bases:
    - rootfs:
        image:
          ref: debian:bookworm
          cmd:
            dir: /srv/\${WHO}
            env: { A: "\${WHO}" }
            steps:
              - command: echo "\${WHO}" > /x
                env: { B: "$WHO" }
                mounts:
                  - dest: /in
                    spec: { http: { url: "https://example.invalid/\${WHO}/f" } }
targets:
  trixie:
    image:
      bases:
        - rootfs:
            image:
              ref: debian:trixie
              cmd:
                steps: [{ command: "true" }]
  noble:
    image:
      bases: []
  jammy:
    image:
      base: ""
`;

const image = (distro: string) => resolveSpec(parseSpec(SPEC, "s.yml"), { distro: DISTROS[distro]!, arch: "amd64", args: {} }).image;

describe("an image base's command", () => {
  it("is the spec's, with its dir, env and steps as written", () => {
    const i = image("bookworm");
    expect(i.base).toBe("debian:bookworm");
    const { mounts, ...cmd } = i.baseCmd!.steps[0]!;
    expect([i.baseCmd!.dir, i.baseCmd!.env, cmd]).toEqual(["/srv/${WHO}", [["A", "${WHO}"]], { command: 'echo "${WHO}" > /x', env: [["B", "$WHO"]] }]);
    expect(mounts.map((m) => [m.dest, m.source.kind === "http" && m.source.url])).toEqual([["/in", "https://example.invalid/${WHO}/f"]]);
  });

  it("is a target's when the target sets bases, none when they are empty, the spec's under an empty base", () => {
    expect([image("trixie").base, image("trixie").baseCmd?.steps.map((s) => s.command)]).toEqual(["debian:trixie", ["true"]]);
    expect([image("noble").base, image("noble").baseCmd]).toEqual([undefined, undefined]);
    // An empty base sets none: Dalec moves only a non-empty base into bases.
    expect([image("jammy").base, image("jammy").baseCmd?.steps.length]).toEqual(["debian:bookworm", 1]);
  });
});
