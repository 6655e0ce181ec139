// A build-time source filter: its excludes join every folder source's (wherever it is used),
// not a file source's, and the sources node filters what the generators made with them.
import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";
import { renderSources } from "../../../src/render/sources-script.js";
import { sq } from "../../../src/render/shell.js";
import { patternRules } from "../../../src/spec/patterns.js";

const SPEC = `
name: f
version: 1
sources:
  ctx: { context: {}, excludes: [own] }
  git: { git: { url: "https://example.invalid/r.git", commit: abc } }
  dir: { inline: { dir: { files: { a.secret: { contents: x }, b.txt: { contents: y } } } } }
  file: { inline: { file: { contents: z } } }
  web: { http: { url: "https://example.invalid/f" } }
  built:
    build:
      source: { context: {}, path: sub }
  go:
    context: {}
    generate: [{ gomod: {} }]
build:
  steps:
    - command: "true"
      mounts: [{ dest: /m, spec: { image: { ref: "debian:bookworm" }, path: /etc } }]
tests:
  - name: t
    mounts: [{ dest: /t, spec: { context: {} } }]
`;

const resolved = (globalExcludes: string[]) => resolveSpec(parseSpec(SPEC, "f.yml"), { distro: DISTROS.bookworm!, arch: "amd64", args: {}, globalExcludes });

describe("a build-time source filter", () => {
  it("adds its excludes to every folder source, after the spec's own", () => {
    const r = resolved(["**/*.secret"]);
    const by = new Map(r.sources.map((s) => [s.name, s]));
    const ex = (name: string) => { const s = by.get(name)!; return "excludes" in s ? s.excludes : "none"; };
    expect([ex("ctx"), ex("git"), ex("file"), ex("web")]).toEqual([["own", "**/*.secret"], ["**/*.secret"], "none", "none"]);
    const dir = by.get("dir")!;
    expect(dir.kind === "inline-dir" && dir.files.map((f) => f.name)).toEqual(["b.txt"]);
    const built = by.get("built")!;
    expect(built.kind === "build" && [built.excludes, built.from.kind !== "inline" && built.from.kind !== "http" && built.from.filter]).toEqual([["**/*.secret"], { includes: [], excludes: ["**/*.secret"] }]);
    const mount = (m: { source: { excludes?: string[] } }) => m.source.excludes;
    expect([mount(r.steps[0]!.mounts[0]! as never), mount(r.tests[0]!.mounts[0]! as never)]).toEqual([["**/*.secret"], ["**/*.secret"]]);
    expect(r.globalExcludes).toEqual(["**/*.secret"]);
  });

  it("changes nothing when it excludes nothing", () => {
    const r = resolved([]);
    expect(r.sources.find((s) => s.name === "ctx")).toMatchObject({ excludes: ["own"] });
    expect(r.globalExcludes).toEqual([]);
  });

  it("filters what the generators made in the sources node", () => {
    const r = resolved(["**/*.secret"]);
    const script = renderSources("f.yml", r.sources, r.patches, r.generators, ".", [], r.globalExcludes).get("sources/sources.sh")!;
    const lines = script.split("\n");
    const gen = lines.findIndex((l) => l.startsWith("dalec_gomod "));
    expect(lines.slice(gen + 1).filter((l) => l.startsWith("dalec_refilter"))).toEqual([`dalec_refilter __gomods ${sq(patternRules(["**/*.secret"]))}`]);
    expect(renderSources("f.yml", r.sources, r.patches, r.generators, ".", [], []).get("sources/sources.sh")).not.toContain("dalec_refilter");
  });
});
