// docker-bake.hcl: one block per stage and spec, each a matrix over the vectors chosen by the
// environment (plural JSON arrays or singular values), parents named from the child's
// coordinates. Evaluates on buildx 0.13: no typed variables, only stdlib functions it has.
import { ATTEST, CA_SECRET, PREFETCH_GROUP, SSH_ID, nodeLabel } from "../graph/blocks.js";
import type { Block, Text, Value } from "../graph/blocks.js";
import { coordinates, domains, pluralOf } from "../graph/vectors.js";
import type { Matrix } from "../matrix/model.js";
import { hclList, hclObject, hclString, hclTemplate } from "./hcl.js";
import type { SpecFiles } from "./spec-files.js";

export interface BakeInput {
  matrix: Matrix;
  specs: readonly SpecFiles[];
  blocks: readonly Block[];
  /** Shown in the header: what this file was generated from. */
  origin: string;
  stamp: string;
}

function text(t: Text): string {
  return hclTemplate(t.map((p) => (typeof p === "string" ? p : "coord" in p ? { expr: `${p.obj}.${p.coord}` } : { expr: p.variable })));
}

function value(v: Value): string {
  if (Array.isArray(v)) return text(v);
  return "baseImage" in v ? `base_image(${v.baseImage}.distro)` : "BAKE_LOCAL_PLATFORM";
}

function renderBlock(b: Block): string {
  const attrs: [string, string][] = [];
  if (b.name) attrs.push(["name", text(b.name)]);
  if (b.matrix) attrs.push(["matrix", `{ ${b.matrix.obj} = ${b.matrix.over}() }`]);
  attrs.push(["context", text(b.context)], ["dockerfile", text(b.dockerfile)]);
  if (b.target) attrs.push(["target", hclString(b.target)]);
  const contexts = hclObject(b.contexts.map(([k, t]) => [k, text(t)]));
  // A context named by a variable exists only when the variable is set: merged in then.
  const optionalContexts = (b.contextsFrom ?? []).map(([k, v]) => `${v} != "" ? { ${k} = ${v} } : {}`);
  if (optionalContexts.length) attrs.push(["contexts", `merge(${[contexts, ...optionalContexts].join(", ")})`]);
  else if (b.contexts.length) attrs.push(["contexts", contexts]);
  if (b.args.length) attrs.push(["args", hclObject(b.args.map(([k, v]) => [k, value(v)]))]);
  attrs.push(["platforms", hclList(b.platforms.map(value))]);
  if (b.output) attrs.push(["output", hclList(b.output.map(text))]);
  if (b.tags) attrs.push(["tags", hclList(b.tags.map(text))]);
  const label = nodeLabel(b);
  if (label) attrs.push(["labels", hclObject([[label[0], text(label[1])]])]);
  const own = hclList((b.secrets ?? []).map(([id, env]) => hclString(`id=${id},env=${env}`)));
  const ca = `DALEC_BAKE_CA_CERTS != "" ? [${hclTemplate([`id=${CA_SECRET},src=`, { expr: "DALEC_BAKE_CA_CERTS" }])}] : []`;
  if (b.caCerts) attrs.push(["secret", b.secrets?.length ? `concat(${own}, ${ca})` : ca]);
  else if (b.secrets?.length) attrs.push(["secret", own]);
  const ssh = [
    ...(b.ssh || b.sshIds?.length ? [hclList([...(b.ssh ? [SSH_ID] : []), ...(b.sshIds ?? [])].map(hclString))] : []),
    ...(b.sshFrom ?? []).map(([id, v]) => `${v} != "" ? [${hclTemplate([`${id}=`, { expr: v }])}] : []`),
  ];
  if (ssh.length) attrs.push(["ssh", ssh.length > 1 ? `concat(${ssh.join(", ")})` : ssh[0]!]);
  attrs.push(["attest", hclList(ATTEST.map(hclString))]);
  if (b.cacheFrom.length) attrs.push(["cache-from", hclList(b.cacheFrom.map(text))]);
  if (b.cacheTo.length) attrs.push(["cache-to", hclList(b.cacheTo.map(text))]);
  const width = Math.max(...attrs.map(([k]) => k.length));
  return `target ${hclString(b.label)} {\n${attrs.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`).join("\n")}\n}\n`;
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
  out.push(`variable "DALEC_BAKE_IMAGE_PREFIX" {\n  default = "dalec-bake/"\n}`);
  out.push("# A CA bundle for downloads behind a TLS-inspecting proxy (a secret: never in a cache key).");
  out.push(`variable "DALEC_BAKE_CA_CERTS" {\n  default = ""\n}`, "");
  const optional = new Set(input.blocks.flatMap((b) => [...(b.contextsFrom ?? []), ...(b.sshFrom ?? [])].map(([, v]) => v)));
  if (optional.has("DALEC_BAKE_SCCACHE")) {
    out.push("# rustsccache: a folder holding an sccache binary to use instead of downloading Dalec's.");
    out.push(`variable "DALEC_BAKE_SCCACHE" {\n  default = ""\n}`, "");
  }
  if (optional.has("DALEC_BAKE_BAZEL_SOCKET")) {
    out.push("# bazel caches: a unix socket of a bazel remote cache, forwarded to the build steps.");
    out.push(`variable "DALEC_BAKE_BAZEL_SOCKET" {\n  default = ""\n}`, "");
  }
  out.push(...functions(matrix, coords), "");

  const all = input.blocks;
  out.push(...all.filter((b) => !b.spec).map(renderBlock));
  for (const s of specs) {
    out.push(`# ---- ${s.name}`, ...all.filter((b) => b.spec === s.id).map(renderBlock));
    out.push(group(s.id, [`pkg--${s.id}`, `test--${s.id}`].map((t) => hclString(t))));
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
  // Build contexts bake cannot take as they are, laid out first (bake.sh runs this group first).
  const prefetch = all.filter((b) => b.stage === "prefetch").map((b) => hclString(b.label));
  if (prefetch.length) out.push(group(PREFETCH_GROUP, prefetch));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
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
