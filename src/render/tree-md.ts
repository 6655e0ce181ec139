// TREE.md beside docker-bake.hcl: the tree in words and a diagram, generated from the same
// blocks as the HCL, so the documentation cannot drift from what bake builds.
import type { Block, Text } from "../graph/blocks.js";
import type { Graph } from "../graph/expand.js";
import type { Matrix } from "../matrix/model.js";

function pattern(t: Text): string {
  return t.map((p) => (typeof p === "string" ? p : "coord" in p ? `<${p.coord}>` : `$${p.variable}`)).join("");
}

const ROLE: Record<Block["stage"], string> = {
  system: "distro base plus build tooling (the roots)",
  prefetch: "a build source's context bake cannot take as it is (an image's folder, an http file with a digest, a filtered folder), laid out in $DALEC_BAKE_OUT/prefetch by an earlier bake invocation (bake.sh runs the prefetch group first)",
  nested: "a build source: the spec's own Dockerfile build",
  fetch: "the spec's image and build sources, laid out once",
  sources: "the spec's sources, laid out once for every distro, arch and variant",
  deps: "build dependencies installed; shared by every variant",
  build: "the spec's build steps",
  pkg: "the .deb package, written to $DALEC_BAKE_OUT",
  image: "runtime image: the package installed into the distro base",
  test: "the spec's tests, run against the image",
};

export function renderTreeMd(matrix: Matrix, all: readonly Block[], graph: Graph, stamp: string): string {
  const out: string[] = [`<!-- ${stamp} -->`, "# The build tree", ""];
  out.push(
    `Matrix: distros ${matrix.distros.map((d) => d.name).join(", ")}; arches ${matrix.arches.join(", ")}` +
      matrix.axes.map((a) => `; ${a.name} ${a.values.map((v) => v.name).join(", ")}`).join("") +
      (matrix.exclude.length ? `; excluding ${matrix.exclude.map((e) => Object.entries(e).map(([k, v]) => `${k}=${v}`).join(" ")).join(", ")}` : "") +
      ".",
    "",
    "Each target is named by its stage and only the coordinates its work depends on, so identical",
    "work is one target. Counts are for every vector; the environment variables of",
    "`docker-bake.hcl` narrow them.",
    "",
    "| block | targets | count | parents | what it builds |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const b of all) {
    const count = b.matrix ? (graph.groups.get(b.label)?.length ?? 0) : 1;
    const parents = [
      ...b.contexts.filter(([, t]) => typeof t[0] === "string" && t[0].startsWith("target:")).map(([k, t]) => `${k}: \`${pattern(t).slice("target:".length)}\``),
      ...(b.after ?? []).map((a) => `built before: \`${a}\``),
    ];
    out.push(`| \`${b.label}\` | \`${b.name ? pattern(b.name) : b.label}\` | ${count} | ${parents.join("<br>") || "none"} | ${ROLE[b.stage]} |`);
  }
  out.push("", "```mermaid", "flowchart LR");
  const id = new Map(all.map((b, i) => [b.label, `b${i}`]));
  for (const b of all) out.push(`  ${id.get(b.label)}["${b.label}"]`);
  for (const b of all) {
    for (const [, t] of b.contexts) {
      // A parent's text starts with its block's label: `target:deps--<id>` then its coordinates.
      const head = typeof t[0] === "string" && t[0].startsWith("target:") ? t[0].slice("target:".length) : undefined;
      const parent = head && all.find((x) => x.label === head);
      if (parent) out.push(`  ${id.get(parent.label)} --> ${id.get(b.label)}`);
    }
    // A node built by an earlier invocation, whose folder this one reads.
    for (const a of b.after ?? []) if (id.has(a)) out.push(`  ${id.get(a)} -.-> ${id.get(b.label)}`);
  }
  out.push("```", "");
  return out.join("\n");
}
