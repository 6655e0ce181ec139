// The distros and arches dalec-bake knows how to build for. Debian-family only for now; the
// `id` is what Dalec puts in the package version (`1.0-debian12u1`).

export interface Distro {
  name: string;
  family: "debian";
  /** Base image a Dockerfile's FROM uses. */
  image: string;
  /** Dalec's distro id in package versions. */
  versionId: string;
}

export const DISTROS: Readonly<Record<string, Distro>> = {
  bookworm: { name: "bookworm", family: "debian", image: "debian:bookworm", versionId: "debian12" },
  trixie: { name: "trixie", family: "debian", image: "debian:trixie", versionId: "debian13" },
  jammy: { name: "jammy", family: "debian", image: "ubuntu:jammy", versionId: "ubuntu22.04" },
  noble: { name: "noble", family: "debian", image: "ubuntu:noble", versionId: "ubuntu24.04" },
};

export function platformOf(arch: string): string {
  return `linux/${arch}`;
}

export function nativeArch(nodeArch: string): string {
  return nodeArch === "arm64" ? "arm64" : "amd64";
}
