// The distros and arches dalec-bake knows how to build for. Debian-family only for now; the
// `id` is what Dalec puts in the package version (`1.0-debian12u1`).

export interface Distro {
  name: string;
  family: "debian";
  /** Base image a Dockerfile's FROM uses. */
  image: string;
  /** Dalec's distro id in package versions. */
  versionId: string;
  /** Where debhelper puts systemd units on this release (/usr/lib after the /usr merge). */
  unitDir: string;
}

export const DISTROS: Readonly<Record<string, Distro>> = {
  bookworm: { name: "bookworm", family: "debian", image: "debian:bookworm", versionId: "debian12", unitDir: "/lib/systemd/system" },
  trixie: { name: "trixie", family: "debian", image: "debian:trixie", versionId: "debian13", unitDir: "/usr/lib/systemd/system" },
  jammy: { name: "jammy", family: "debian", image: "ubuntu:jammy", versionId: "ubuntu22.04", unitDir: "/lib/systemd/system" },
  noble: { name: "noble", family: "debian", image: "ubuntu:noble", versionId: "ubuntu24.04", unitDir: "/usr/lib/systemd/system" },
};

export function platformOf(arch: string): string {
  return `linux/${arch}`;
}

export function nativeArch(nodeArch: string): string {
  return nodeArch === "arm64" ? "arm64" : "amd64";
}
