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

export const DISTROS: Readonly<Record<string, Distro>> = {
  bookworm: { name: "bookworm", family: "debian", image: "debian:bookworm", versionId: "debian12", unitDir: "/lib/systemd/system" },
  trixie: { name: "trixie", family: "debian", image: "debian:trixie", versionId: "debian13", unitDir: "/usr/lib/systemd/system" },
  jammy: { name: "jammy", family: "debian", image: "ubuntu:jammy", versionId: "ubuntu22.04", unitDir: "/lib/systemd/system" },
  noble: { name: "noble", family: "debian", image: "ubuntu:noble", versionId: "ubuntu24.04", unitDir: "/usr/lib/systemd/system" },
  // Azure Linux's image lives outside Docker Hub: the matrix file names it (`images:`).
  azlinux3: { name: "azlinux3", family: "rpm", image: "", versionId: "azl3", unitDir: "/usr/lib/systemd/system" },
  almalinux9: { name: "almalinux9", family: "rpm", image: "almalinux:9", versionId: "el9", unitDir: "/usr/lib/systemd/system" },
  rockylinux9: { name: "rockylinux9", family: "rpm", image: "rockylinux:9", versionId: "el9", unitDir: "/usr/lib/systemd/system" },
};

export function platformOf(arch: string): string {
  return `linux/${arch}`;
}

export function nativeArch(nodeArch: string): string {
  return nodeArch === "arm64" ? "arm64" : "amd64";
}
