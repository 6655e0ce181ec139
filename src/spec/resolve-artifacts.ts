// Artifacts at Dalec's install locations for the Debian family (its debroot.go constants), with
// the owners, capabilities, directories, links, users and systemd units its maintainer scripts
// and debhelper calls set up.
import { posix } from "node:path";
import type { Distro } from "../distros.js";
import type { Artifact, ArtifactKind, ResolvedArtifacts } from "./model.js";
import type { ArtifactConfig, ArtifactsInput } from "./schema.js";

function root(kind: Exclude<ArtifactKind, "dropins">, pkg: string): string {
  switch (kind) {
    case "binaries":
      return "/usr/bin";
    case "libexec":
      return "/usr/libexec";
    case "opt":
      return "/opt";
    case "data_dirs":
      return "/usr/share";
    case "configFiles":
      return "/etc";
    case "docs":
    case "licenses":
      return `/usr/share/doc/${pkg}`;
    case "headers":
      return "/usr/include";
    case "libs":
      return "/usr/lib";
    case "manpages":
      return `/usr/share/doc/manpages/${pkg}`;
  }
}

const KINDS = ["binaries", "libexec", "opt", "manpages", "data_dirs", "configFiles", "docs", "licenses", "headers", "libs"] as const;

const byKey = <T>(m: Record<string, T> | undefined): [string, T][] =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Dalec's CapabilitiesString: `cap_a+eip` as setcap reads it; a capability with no flag sets nothing. */
function caps(cfg: ArtifactConfig): string[] {
  return (cfg.linux_capabilities ?? []).flatMap((c) => {
    const flags = `${c.effective ? "e" : ""}${c.inheritable ? "i" : ""}${c.permitted ? "p" : ""}`;
    const name = c.name.toLowerCase().startsWith("cap_") ? c.name.toLowerCase() : `cap_${c.name.toLowerCase()}`;
    return flags ? [`${name}+${flags}`] : [];
  });
}

/**
 * A link's target as debhelper's dh_link writes it (Dalec lists links for it): the source is a
 * path in the package; within one top-level folder the link is relative, else absolute.
 */
function linkTarget(source: string, dest: string): string {
  const abs = posix.normalize(`/${source.replace(/^\/+/, "")}`);
  const top = (p: string) => p.split("/")[1];
  return top(abs) === top(posix.normalize(dest)) ? posix.relative(posix.dirname(posix.normalize(dest)), abs) || "." : abs;
}

/** Where an artifact lands in the package (the one file, for a source that names one). */
export function installedPath(f: Artifact): string {
  return `${f.dir}/${f.name || f.src.split("/").pop()!}`;
}

export function resolveArtifacts(pkg: string, input: ArtifactsInput | undefined, distro: Distro): ResolvedArtifacts {
  const files: Artifact[] = [];
  for (const kind of KINDS) {
    for (const [src, cfg] of byKey(input?.[kind])) {
      const subpath = cfg.subpath ?? "";
      const name = cfg.name ?? "";
      // Dalec hands plain man pages to dh_installman (man<section>/, gzipped); "" marks that here.
      const bySection = kind === "manpages" && !name && (!subpath || subpath === posix.basename(posix.dirname(src)));
      const dir = bySection ? "" : posix.join(root(kind, pkg), subpath);
      files.push({ kind, src, dir, name, mode: cfg.permissions, user: cfg.user, group: cfg.group, caps: caps(cfg) });
    }
  }
  for (const [src, cfg] of byKey(input?.systemd?.dropins)) {
    files.push({ kind: "dropins", src, dir: `${distro.unitDir}/${cfg.unit}.d`, name: cfg.name ?? "", mode: 0o644, user: undefined, group: undefined, caps: [] });
  }
  const units = byKey(input?.systemd?.units).map(([src, cfg]) => ({
    src,
    name: cfg.name || posix.basename(src),
    enable: cfg.enable ?? false,
    start: cfg.start ?? false,
  }));
  const dirs = [
    ...byKey(input?.createDirectories?.config).map(([d, c]) => ({ path: posix.join("/etc", d), c })),
    ...byKey(input?.createDirectories?.state).map(([d, c]) => ({ path: posix.join("/var/lib", d), c })),
  ].map(({ path, c }) => ({ path, mode: c.mode ?? 0o755, user: c.user, group: c.group }));
  return {
    files,
    units,
    dirs,
    links: (input?.links ?? []).map((l) => ({ source: linkTarget(l.source, l.dest), dest: l.dest, user: l.user, group: l.group })),
    users: (input?.users ?? []).map((u) => u.name),
    groups: (input?.groups ?? []).map((g) => g.name),
    disableStrip: input?.disable_strip ?? false,
    disableAutoRequires: input?.disable_auto_requires ?? false,
  };
}
