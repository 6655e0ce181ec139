// DEBIAN/control for the package, as Dalec writes it: version `<version>-<distro id>u<revision>`,
// runtime dependencies with their constraints. The architecture is filled in at build time.
import type { Distro } from "../distros.js";
import type { Dependency, ResolvedSpec } from "../spec/model.js";
import { debianDate } from "./dates.js";
import { installedPath } from "../spec/resolve-artifacts.js";
import { rpmRelation } from "./rpm-spec.js";
import { STAMP, sq } from "./shell.js";

export function debianVersion(spec: ResolvedSpec, distro: Distro): string {
  return `${spec.version}-${distro.versionId}u${spec.revision}`;
}

export function relation(d: Dependency): string {
  if (!d.version.length) return d.name;
  return d.version.map((v) => `${d.name} (${v})`).join(", ");
}

/** Debian's Essential: yes packages (bookworm and trixie). */
const ESSENTIAL = new Set([
  "base-files", "base-passwd", "bash", "bsdutils", "coreutils", "dash", "debianutils", "diffutils", "findutils", "grep",
  "gzip", "hostname", "init-system-helpers", "libc-bin", "login", "ncurses-base", "ncurses-bin", "perl-base", "sed",
  "sysvinit-utils", "tar", "util-linux",
]);

export function maintainerOf(spec: ResolvedSpec): string {
  return spec.packager ? (spec.packager.includes("<") ? spec.packager : `${spec.packager} <dalec@users.noreply.github.com>`) : "dalec-bake <dalec@users.noreply.github.com>";
}

export function renderControl(spec: ResolvedSpec, distro: Distro): string {
  const [first = "", ...rest] = spec.description.trim().split("\n");
  // Debian's synopsis must say more than the package's name (lintian: description-is-pkg-name).
  const bare = (t: string) => t.toLowerCase().replace(/[\s_.-]+/g, "");
  const summary = first.trim() && bare(first) !== bare(spec.name) ? first.trim() : `Built from the Dalec spec of ${spec.name}`;
  // Debian policy wants an extended description; a one-line spec description gets a line
  // saying what the package is built from (lintian: extended-description-is-empty).
  const lines = rest.some((l) => l.trim()) ? rest : [`${spec.name} ${spec.version}, packaged from its Dalec spec.`];
  const body = lines.map((l) => (l.trim() ? ` ${l}` : " .")).join("\n");
  const maintainer = maintainerOf(spec);
  const fields: [string, string][] = [
    ["Package", spec.name],
    ["Version", debianVersion(spec, distro)],
    ["Architecture", spec.noarch ? "all" : "@ARCH@"],
    ["Maintainer", maintainer],
    ["Section", "misc"],
    ["Priority", "optional"],
  ];
  if (spec.website) fields.push(["Homepage", spec.website]);
  // Essential packages are always installed; Debian policy forbids depending on them without
  // a version (lintian: depends-on-essential-package-without-using-version).
  const depends = spec.deps.runtime.filter((d) => d.version.length || !ESSENTIAL.has(d.name));
  // Capabilities are set by setcap in postinst.
  if (spec.artifacts.files.some((f) => f.caps.length) && !depends.some((d) => d.name === "libcap2-bin")) {
    depends.push({ name: "libcap2-bin", version: [], arch: [], where: "" });
  }
  if (depends.length) fields.push(["Depends", depends.map(relation).join(", ")]);
  const recommends = weakerThan(spec.deps.recommends, depends);
  if (recommends.length) fields.push(["Recommends", recommends.map(relation).join(", ")]);
  if (spec.conflicts.length) fields.push(["Conflicts", spec.conflicts.map(relation).join(", ")]);
  if (spec.replaces.length) fields.push(["Replaces", spec.replaces.map(relation).join(", ")]);
  if (spec.provides.length) fields.push(["Provides", spec.provides.map(relation).join(", ")]);
  fields.push(["Description", summary + (body ? `\n${body}` : "")]);
  return `# ${STAMP}\n${fields.map(([k, v]) => `${k}: ${v}`).join("\n")}\n`;
}

/**
 * A weaker field's relations without those a stronger field already gives, as dpkg-gencontrol
 * simplifies them for Dalec's packages: `foo` when the stronger has any `foo`, `foo (>= 1)` when
 * it has that very relation.
 */
function weakerThan(weak: readonly Dependency[], strong: readonly Dependency[]): Dependency[] {
  const out: Dependency[] = [];
  for (const d of weak) {
    const same = strong.filter((s) => s.name === d.name);
    if (!same.length) out.push(d);
    else if (d.version.length) {
      const left = d.version.filter((v) => !same.some((s) => s.version.includes(v)));
      if (left.length) out.push({ ...d, version: left });
    }
  }
  return out;
}

/**
 * One Debian relation per line, constraints included (`libfoo (>= 1.2), libfoo (<< 2)`): the deps
 * and test nodes hand each line to `apt-get satisfy`, which fails when a constraint cannot be met
 * instead of installing whatever version is there.
 */
export function renderPackageList(deps: readonly Dependency[], family: Distro["family"] = "debian"): string {
  // RPM's installers take one `name op version` per argument: a line per constraint.
  const lines = family === "rpm" ? deps.flatMap((d) => rpmRelation(d).split(", ")) : deps.map(relation);
  // Where each one is in the spec, for lib/deps.sh's message when it cannot be installed.
  const where = deps.map((d) => `#@ ${d.name}\t${d.where.replace(/\s+/g, " ")}\n`);
  return `# ${STAMP}\n${lines.map((l) => `${l}\n`).join("")}${where.join("")}`;
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

/** The spec's changelog entry the package's changelog holds: the newest. */
export function newestChange(spec: Pick<ResolvedSpec, "changelog">): ResolvedSpec["changelog"][number] | undefined {
  return [...spec.changelog].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0];
}

/** SOURCE_DATE_EPOCH as dpkg-buildpackage reads it from that changelog: its entry's date, or 0 for the dummy entry. */
export function changelogEpoch(spec: Pick<ResolvedSpec, "changelog">): number {
  const newest = newestChange(spec);
  return newest ? Math.floor(Date.parse(`${newest.date}T00:00:00Z`) / 1000) : 0;
}

/**
 * debian/changelog as Dalec writes it: one entry at the package's version, for the distro, with
 * the newest of the spec's changelog entries (a dummy one dated at the epoch when it has none).
 */
export function renderChangelog(spec: ResolvedSpec, distro: Distro): string {
  const newest = newestChange(spec);
  const changes = newest?.changes.length ? newest.changes : newest ? ["No changes listed."] : ["Built by dalec-bake."];
  const author = newest?.author || maintainerOf(spec);
  const date = (newest && debianDate(newest.date)) ?? "Thu, 01 Jan 1970 00:00:00 +0000";
  const body = changes.map((c) => `  * ${c.trim().split("\n").join("\n    ")}`).join("\n");
  return `# ${STAMP}\n${spec.name} (${debianVersion(spec, distro)}) ${distro.name}; urgency=low\n\n${body}\n\n -- ${author}  ${date}\n`;
}

/**
 * Settings pkg.sh reads (sourced by bash): whether ELF files are stripped, whether the shared
 * libraries they need become dependencies (Dalec's ${shlibs:Depends}), and the permissions the
 * spec sets, which pkg.sh applies again after normalising every mode as debhelper does (only
 * the 0777 bits, as Dalec's fix_perms.sh).
 */
export function renderPkgOptions(spec: ResolvedSpec): string {
  const a = spec.artifacts;
  const perms: [string, number][] = [
    ...a.files.filter((f) => f.mode !== undefined && f.dir).map((f): [string, number] => [installedPath(f), f.mode!]),
    ...a.dirs.map((d): [string, number] => [d.path, d.mode]),
  ];
  const lines = [
    `# ${STAMP}`,
    `STRIP=${a.disableStrip ? 0 : 1}`,
    `SHLIBS=${a.disableAutoRequires ? 0 : 1}`,
    `PERMS=(${perms.map(([p, m]) => sq(`${(m & 0o777).toString(8).padStart(4, "0")} ${p}`)).join(" ")})`,
  ];
  return `${lines.join("\n")}\n`;
}
