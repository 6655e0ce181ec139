// An RPM spec for the RPM family, from the same ResolvedSpec the .deb comes from: a binary
// package of the build's staging root (lib/rpm.sh runs rpmbuild on it), with Dalec's fields
// (Release <revision>%{?dist}, Requires with constraints, Provides/Conflicts/Obsoletes), the
// post-install work of the Debian maintainer scripts, systemd units enabled as asked, and the
// changelog. The %files list is made from the staging root when the package is built.
import type { Dependency, ResolvedSpec } from "../spec/model.js";
import { rpmDate } from "./dates.js";
import { postInstallLines } from "./maintainer-scripts.js";
import { STAMP, sq } from "./shell.js";

const RPM_OP: Record<string, string> = { ">>": ">", "<<": "<" };

/** `name op version` per constraint, RPM's syntax (Debian's `>>`/`<<` are RPM's `>`/`<`). */
export function rpmRelation(d: Dependency): string {
  if (!d.version.length) return d.name;
  return d.version
    .map((v) => {
      const [op = "", ...rest] = v.split(" ");
      return `${d.name} ${RPM_OP[op] ?? op} ${rest.join(" ")}`;
    })
    .join(", ");
}

/** `%` starts a macro in a spec: user text is escaped so rpm reads it as written. */
const esc = (s: string) => s.replace(/%/g, "%%");

export function renderRpmSpec(spec: ResolvedSpec): string {
  const [first = "", ...rest] = spec.description.trim().split("\n");
  const summary = first.trim() || `Built from the Dalec spec of ${spec.name}`;
  const lines = [
    `# ${STAMP}`,
    // A prebuilt staging root: no debuginfo package, and stripping only when the spec allows it.
    "%global debug_package %{nil}",
    "%global _build_id_links none",
    ...(spec.artifacts.disableStrip ? ["%global __os_install_post %{nil}"] : []),
    `Name: ${spec.name}`,
    `Version: ${esc(spec.version.replace(/-/g, "_"))}`,
    `Release: ${esc(spec.revision)}%{?dist}`,
    `License: ${esc(spec.license || "unknown")}`,
    `Summary: ${esc(summary)}`,
  ];
  if (spec.website) lines.push(`URL: ${esc(spec.website)}`);
  if (spec.vendor) lines.push(`Vendor: ${esc(spec.vendor)}`);
  if (spec.packager) lines.push(`Packager: ${esc(spec.packager)}`);
  if (spec.noarch) lines.push("BuildArch: noarch");
  const rel = (field: string, deps: readonly Dependency[]) => deps.forEach((d) => lines.push(`${field}: ${rpmRelation(d)}`));
  rel("Requires", spec.deps.runtime);
  rel("Recommends", spec.deps.recommends);
  rel("Provides", spec.provides);
  rel("Conflicts", spec.conflicts);
  rel("Obsoletes", spec.replaces);
  const a = spec.artifacts;
  if (a.users.length || a.groups.length) lines.push("Requires(post): shadow-utils");
  if (a.files.some((f) => f.caps.length)) lines.push("Requires(post): libcap");
  if (a.units.length) lines.push("Requires(post): systemd", "Requires(preun): systemd", "Requires(postun): systemd");
  lines.push("", "%description", esc(rest.some((l) => l.trim()) ? [first, ...rest].join("\n").trim() : summary), "");
  lines.push("%install", "mkdir -p %{buildroot}", "cp -a %{dalec_root}/. %{buildroot}/", "");
  const post = postInstallLines(spec);
  for (const u of a.units) {
    post.push(`if [ "$1" -eq 1 ] && command -v systemctl >/dev/null; then systemctl ${u.enable ? "enable" : "preset"} ${sq(u.name)} >/dev/null 2>&1 || :; fi`);
    if (u.start) post.push(`if [ -d /run/systemd/system ]; then systemctl start ${sq(u.name)} >/dev/null 2>&1 || :; fi`);
  }
  if (post.length) lines.push("%post", ...post.map(esc), "");
  if (a.units.length) {
    const names = a.units.map((u) => sq(u.name)).join(" ");
    lines.push("%preun", `if [ "$1" -eq 0 ] && command -v systemctl >/dev/null; then systemctl --no-reload disable --now ${names} >/dev/null 2>&1 || :; fi`, "");
    lines.push("%postun", "if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || :; fi", "");
  }
  lines.push("%files -f %{dalec_files}", "");
  const log = [...spec.changelog].sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : 0));
  if (log.length) {
    lines.push("%changelog");
    for (const c of log) {
      lines.push(`* ${rpmDate(c.date)} ${esc(c.author || "unknown")} - ${esc(spec.version)}-${esc(spec.revision)}`);
      for (const ch of c.changes.length ? c.changes : ["No changes listed."]) lines.push(`- ${esc(ch.trim().split("\n").join(" "))}`);
      lines.push("");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
