// The distros and arches dalec-bake knows how to build for: the Debian family (.deb) and the RPM
// family (.rpm: generated and checked with bake --print and rpmbuild; no base image can be had
// on these machines to build them). `versionId` is what Dalec puts in a .deb's version
// (`1.0-debian12u1`); an RPM's release carries its distro's %{?dist} instead.

export interface Distro {
  name: string;
  family: "debian" | "rpm";
  /** Base image a Dockerfile's FROM uses ("" when the matrix file must name it). */
  image: string;
  /** Dalec's distro id in package versions. */
  versionId: string;
  /** Where debhelper puts systemd units on this release (/usr/lib after the /usr merge). */
  unitDir: string;
}

// Dalec's distros but bionic, whose apt (1.6) has no `apt-get satisfy`, which installs
// dependencies with their version constraints.
export const DISTROS: Readonly<Record<string, Distro>> = {
  bullseye: { name: "bullseye", family: "debian", image: "debian:bullseye", versionId: "debian11", unitDir: "/lib/systemd/system" },
  bookworm: { name: "bookworm", family: "debian", image: "debian:bookworm", versionId: "debian12", unitDir: "/lib/systemd/system" },
  trixie: { name: "trixie", family: "debian", image: "debian:trixie", versionId: "debian13", unitDir: "/usr/lib/systemd/system" },
  focal: { name: "focal", family: "debian", image: "ubuntu:focal", versionId: "ubuntu20.04", unitDir: "/lib/systemd/system" },
  jammy: { name: "jammy", family: "debian", image: "ubuntu:jammy", versionId: "ubuntu22.04", unitDir: "/lib/systemd/system" },
  noble: { name: "noble", family: "debian", image: "ubuntu:noble", versionId: "ubuntu24.04", unitDir: "/usr/lib/systemd/system" },
  resolute: { name: "resolute", family: "debian", image: "ubuntu:resolute", versionId: "ubuntu26.04", unitDir: "/usr/lib/systemd/system" },
  // Azure Linux's images live outside Docker Hub: the matrix file names them (`images:`).
  azlinux3: { name: "azlinux3", family: "rpm", image: "", versionId: "azl3", unitDir: "/usr/lib/systemd/system" },
  azlinux4: { name: "azlinux4", family: "rpm", image: "", versionId: "azl4", unitDir: "/usr/lib/systemd/system" },
  almalinux8: { name: "almalinux8", family: "rpm", image: "almalinux:8", versionId: "el8", unitDir: "/usr/lib/systemd/system" },
  almalinux9: { name: "almalinux9", family: "rpm", image: "almalinux:9", versionId: "el9", unitDir: "/usr/lib/systemd/system" },
  rockylinux8: { name: "rockylinux8", family: "rpm", image: "rockylinux:8", versionId: "el8", unitDir: "/usr/lib/systemd/system" },
  rockylinux9: { name: "rockylinux9", family: "rpm", image: "rockylinux:9", versionId: "el9", unitDir: "/usr/lib/systemd/system" },
};

export function platformOf(arch: string): string {
  return `linux/${arch}`;
}

export function nativeArch(nodeArch: string): string {
  return nodeArch === "arm64" ? "arm64" : "amd64";
}
