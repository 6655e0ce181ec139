// DEBIAN/control for the package, as Dalec writes it: version `<version>-<distro id>u<revision>`,
// runtime dependencies with their constraints. The architecture is filled in at build time.
import type { Distro } from "../distros.js";
import type { Dependency, ResolvedSpec } from "../spec/model.js";
import { STAMP } from "./shell.js";

export function debianVersion(spec: ResolvedSpec, distro: Distro): string {
  return `${spec.version}-${distro.versionId}u${spec.revision}`;
}

export function relation(d: Dependency): string {
  if (!d.version.length) return d.name;
  return d.version.map((v) => `${d.name} (${v})`).join(", ");
}

export function renderControl(spec: ResolvedSpec, distro: Distro): string {
  const [summary = spec.name, ...rest] = (spec.description || spec.name).trim().split("\n");
  const body = rest.map((l) => (l.trim() ? ` ${l}` : " .")).join("\n");
  const maintainer = spec.packager ? (spec.packager.includes("<") ? spec.packager : `${spec.packager} <dalec@users.noreply.github.com>`) : "dalec-bake <dalec@users.noreply.github.com>";
  const fields: [string, string][] = [
    ["Package", spec.name],
    ["Version", debianVersion(spec, distro)],
    ["Architecture", spec.noarch ? "all" : "@ARCH@"],
    ["Maintainer", maintainer],
    ["Section", "misc"],
    ["Priority", "optional"],
  ];
  if (spec.website) fields.push(["Homepage", spec.website]);
  if (spec.deps.runtime.length) fields.push(["Depends", spec.deps.runtime.map(relation).join(", ")]);
  fields.push(["Description", summary + (body ? `\n${body}` : "")]);
  return `# ${STAMP}\n${fields.map(([k, v]) => `${k}: ${v}`).join("\n")}\n`;
}

/**
 * One Debian relation per line, constraints included (`libfoo (>= 1.2), libfoo (<< 2)`): the deps
 * and test nodes hand each line to `apt-get satisfy`, which fails when a constraint cannot be met
 * instead of installing whatever version is there.
 */
export function renderPackageList(deps: readonly Dependency[]): string {
  return `# ${STAMP}\n${deps.map((d) => `${relation(d)}\n`).join("")}`;
}

/** /usr/share/doc/<pkg>/copyright in Debian's machine-readable format, from the spec's metadata. */
export function renderCopyright(spec: ResolvedSpec): string {
  const lines = [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    `Upstream-Name: ${spec.name}`,
    ...(spec.website ? [`Source: ${spec.website}`] : []),
    "",
    "Files: *",
    `Copyright: ${spec.vendor || spec.packager || `the ${spec.name} authors`}`,
    `License: ${spec.license || "unknown"}`,
  ];
  return `# ${STAMP}\n${lines.join("\n")}\n`;
}
