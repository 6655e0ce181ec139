// docker-bake.hcl: one block per stage and spec, each a matrix over the vectors chosen by the
// environment (plural JSON arrays or singular values), parents named from the child's
// coordinates. Evaluates on buildx 0.13: no typed variables, only stdlib functions it has.
import { posix } from "node:path";
import { coordinates, domains } from "../graph/vectors.js";
import type { Matrix } from "../matrix/model.js";
import { hclList, hclObject, hclString, hclTemplate } from "./hcl.js";
import type { KeyedFolder } from "./keyed-files.js";
import type { SpecFiles } from "./spec-files.js";

export interface BakeInput {
  matrix: Matrix;
  specs: readonly SpecFiles[];
  /** Where `context` sources read from, relative to the output folder. */
  contextPath: string;
  /** Shown in the header: what this file was generated from. */
  origin: string;
  stamp: string;
}

export function pluralOf(coord: string): string {
  if (coord === "arch") return "arches";
  return coord.endsWith("s") ? `${coord}_list` : `${coord}s`;
}

/** `--${v.distro}--${v.arch}` for the given coordinates. */
function coordParts(obj: string, coords: readonly string[]): (string | { expr: string })[] {
  return coords.flatMap((c) => ["--", { expr: `${obj}.${c}` }]);
}

function nodeName(stage: string, id: string, obj: string, coords: readonly string[]): string {
  return hclTemplate([id ? `${stage}--${id}` : stage, ...coordParts(obj, coords)]);
}

/** The folder a node's generated files live in: its build context. */
function keyed(id: string, f: KeyedFolder, obj: string): string {
  return hclTemplate([`gen/${id}/${f.base}`, ...coordParts(obj, f.coords)]);
}

export function renderBakeHcl(input: BakeInput): string {
  const { matrix, specs } = input;
  const coords = coordinates(matrix);
  const dom = domains(matrix);
  const out: string[] = [`# ${input.stamp}`, `# Source: ${input.origin}`, "#", ...usage(matrix), ""];

  for (const c of coords) {
    out.push(`variable ${hclString(pluralOf(c))} {\n  default = ${hclString(JSON.stringify(dom[c]))}\n}`);
    out.push(`variable ${hclString(c)} {\n  default = ""\n}`);
  }
  out.push(`variable "DALEC_BAKE_OUT" {\n  default = "out"\n}`);
  out.push(`variable "DALEC_BAKE_IMAGE_PREFIX" {\n  default = "dalec-bake/"\n}`, "");
  out.push(...functions(matrix, coords), "");

  const leaf = coords;
  const plat = ["distro", "arch"];
  out.push(
    block("system", [
      ["name", nodeName("system", "", "p", plat)],
      ["matrix", "{ p = platforms() }"],
      ["context", hclString("dockerfiles")],
      ["dockerfile", hclString("Dockerfile.system")],
      ["args", hclObject([["BASE_IMAGE", "base_image(p.distro)"]])],
      ["platforms", `["linux/\${p.arch}"]`],
      INTERNAL,
    ]),
  );
  for (const s of specs) {
    const lib = ["lib", hclString("dockerfiles/lib")] as const;
    const libDockerfile = (name: string) => hclString(`../../../dockerfiles/Dockerfile.${name}`);
    // A leaf: one target per vector, named and built for the vector's coordinates.
    const leafBlock = (stage: "build" | "pkg" | "image" | "test", attrs: Attr[], tail: Attr[] = []) =>
      block(`${stage}--${s.id}`, [
        ["name", nodeName(stage, s.id, "v", leaf)],
        ["matrix", "{ v = vectors() }"],
        ["context", keyed(s.id, s.refs[stage], "v")],
        ...attrs,
        ["platforms", `["linux/\${v.arch}"]`],
        ...tail,
      ]);
    out.push(`# ---- ${s.name}`);
    out.push(
      block(`sources--${s.id}`, [
        ["context", hclString(`gen/${s.id}/sources`)],
        ["dockerfile", libDockerfile("sources")],
        // Only the part of the build context the spec reads, or nothing to read at all.
        ["contexts", hclObject([lib, ["context", hclString(s.contextRoot ? posix.join(input.contextPath, s.contextRoot) : `gen/${s.id}/sources`)]])],
        ["platforms", "[BAKE_LOCAL_PLATFORM]"],
        INTERNAL,
      ]),
      block(`deps--${s.id}`, [
        ["name", nodeName("deps", s.id, "p", plat)],
        ["matrix", "{ p = platforms() }"],
        ["context", keyed(s.id, s.refs.deps, "p")],
        ["dockerfile", libDockerfile("deps")],
        ["contexts", hclObject([["system", target("system", "", "p", plat)]])],
        ["platforms", `["linux/\${p.arch}"]`],
        INTERNAL,
      ]),
      leafBlock(
        "build",
        [
          ["dockerfile", libDockerfile("build")],
          ["contexts", hclObject([["deps", target("deps", s.id, "v", plat)], ["sources", hclString(`target:sources--${s.id}`)], lib])],
        ],
        [INTERNAL],
      ),
      leafBlock(
        "pkg",
        [
          ["dockerfile", libDockerfile("pkg")],
          ["contexts", hclObject([["system", target("system", "", "v", plat)], ["build", target("build", s.id, "v", leaf)], lib])],
        ],
        [["output", `[${hclTemplate(["type=local,dest=", { expr: "DALEC_BAKE_OUT" }, `/pkg--${s.id}`, ...coordParts("v", leaf)])}]`]],
      ),
      leafBlock(
        "image",
        [
          ["dockerfile", hclString("Dockerfile")],
          ["contexts", hclObject([["pkg", target("pkg", s.id, "v", leaf)]])],
          ["args", hclObject([["BASE_IMAGE", "base_image(v.distro)"]])],
        ],
        [["tags", `[${hclTemplate([{ expr: "DALEC_BAKE_IMAGE_PREFIX" }, `${s.id}:`, ...coords.flatMap((c, i) => [i ? "-" : "", { expr: `v.${c}` }])])}]`]],
      ),
      leafBlock(
        "test",
        [
          ["dockerfile", libDockerfile("test")],
          ["contexts", hclObject([["image", target("image", s.id, "v", leaf)], lib])],
        ],
        [INTERNAL],
      ),
      group(s.id, [`pkg--${s.id}`, `test--${s.id}`].map((t) => hclString(t))),
    );
  }
  const smoke = coords.map((c) => ({ expr: `smoke(${pluralOf(c)}, ${c}, ${hclString(matrix.defaults[c]!)})` }));
  const smokeName = (id: string) => hclTemplate([`test--${id}`, ...smoke.flatMap((e) => ["--", e])]);
  out.push(
    "# ---- groups",
    group("default", [hclString("packages"), hclString("tests")]),
    group("packages", specs.map((s) => hclString(`pkg--${s.id}`))),
    group("images", specs.map((s) => hclString(`image--${s.id}`))),
    group("tests", specs.map((s) => hclString(`test--${s.id}`))),
    group("tests-smoke", specs.map((s) => smokeName(s.id))),
  );
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}

function target(stage: string, id: string, obj: string, coords: readonly string[]): string {
  return hclTemplate([`target:${stage}${id ? `--${id}` : ""}`, ...coordParts(obj, coords)]);
}

type Attr = readonly [string, string];

// Nodes whose result only feeds other nodes (and tests, whose result is having passed) stay in
// the build cache: the docker driver would otherwise load each into the image store untagged.
const INTERNAL: Attr = ["output", `["type=cacheonly"]`];

function block(name: string, attrs: readonly Attr[]): string {
  const width = Math.max(...attrs.map(([k]) => k.length));
  return `target ${hclString(name)} {\n${attrs.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`).join("\n")}\n}\n`;
}

function group(name: string, targets: readonly string[]): string {
  return `group ${hclString(name)} {\n  targets = ${hclList(targets)}\n}\n`;
}

function usage(m: Matrix): string[] {
  const lines = [
    "# Choose vectors from the environment: a plural JSON array or a singular value per coordinate,",
    `#   ${pluralOf("distro")}='${JSON.stringify(m.distros.map((d) => d.name))}' docker buildx bake packages`,
    "#   distro=bookworm arch=amd64 docker buildx bake tests",
  ];
  for (const a of m.axes) {
    lines.push(`# Axis "${a.name}" (variables ${pluralOf(a.name)} / ${a.name}): build args per value`);
    for (const v of a.values) lines.push(`#   ${v.name}: ${Object.entries(v.args).map(([k, x]) => `${k}=${x}`).join(" ") || "(none)"}`);
  }
  return lines;
}

function functions(m: Matrix, coords: readonly string[]): string[] {
  const tuple = coords.map((c, i) => `${c} = t[${i}]`).join(", ");
  const product = `setproduct(${coords.map((c) => `pick(${pluralOf(c)}, ${c})`).join(", ")})`;
  const excluded = m.exclude.map((e) => `(${Object.entries(e).map(([k, v]) => `t[${coords.indexOf(k)}] == ${hclString(v)}`).join(" && ")})`);
  const filter = excluded.length ? ` if !(${excluded.join(" || ")})` : "";
  const images = `{ ${m.distros.map((d) => `${d.name} = ${hclString(d.image)}`).join(", ")} }`;
  return [
    "# A singular value wins over the plural list.",
    `function "pick" {\n  params = [plural, singular]\n  result = singular != "" ? [singular] : jsondecode(plural)\n}`,
    "",
    "# Every chosen vector, less the matrix file's excludes.",
    `function "vectors" {\n  params = []\n  result = [for t in ${product} : { ${tuple} }${filter}]\n}`,
    "",
    "# The distinct distro x arch pairs of the chosen vectors: the system and deps nodes.",
    `function "platforms" {\n  params = []\n  result = distinct([for v in vectors() : { distro = v.distro, arch = v.arch }])\n}`,
    "",
    "# tests-smoke: the matrix file's default, unless the environment chose otherwise.",
    `function "smoke" {\n  params = [plural, singular, preferred]\n  result = singular != "" ? singular : (contains(jsondecode(plural), preferred) ? preferred : jsondecode(plural)[0])\n}`,
    "",
    `function "base_image" {\n  params = [distro]\n  result = ${images}[distro]\n}`,
  ];
}
