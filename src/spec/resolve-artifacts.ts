// Artifacts at Dalec's install locations for the Debian family.
import { posix } from "node:path";
import type { Artifact, ArtifactKind } from "./model.js";
import type { ArtifactConfig, ArtifactsInput } from "./schema.js";

function root(kind: ArtifactKind, pkg: string): string {
  switch (kind) {
    case "binaries":
      return "/usr/bin";
    case "configFiles":
      return "/etc";
    case "docs":
      return `/usr/share/doc/${pkg}`;
    case "manpages":
      return `/usr/share/doc/manpages/${pkg}`;
  }
}

const KINDS: ArtifactKind[] = ["binaries", "manpages", "docs", "configFiles"];

export function resolveArtifacts(pkg: string, input: ArtifactsInput | undefined): Artifact[] {
  const out: Artifact[] = [];
  for (const kind of KINDS) {
    const entries = Object.entries((input?.[kind] ?? {}) as Record<string, ArtifactConfig>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [src, cfg] of entries) {
      const subpath = cfg.subpath ?? "";
      const name = cfg.name ?? "";
      // Dalec hands plain man pages to dh_installman (man<section>/, gzipped); "" marks that here.
      const bySection = kind === "manpages" && !name && (!subpath || subpath === posix.basename(posix.dirname(src)));
      const dir = bySection ? "" : posix.join(root(kind, pkg), subpath);
      out.push({ kind, src, dir, name, mode: cfg.permissions });
    }
  }
  return out;
}
