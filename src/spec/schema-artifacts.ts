// The shape of a spec's `artifacts` as the user wrote it: every kind Dalec installs.
import { z } from "zod";
import { mode, opt, orEmpty, str } from "./scalars.js";

const capability = z
  .object({
    name: str,
    effective: opt(z.boolean()),
    permitted: opt(z.boolean()),
    inheritable: opt(z.boolean()),
  })
  .strict();

export const artifactConfig = z
  .object({
    subpath: opt(str).describe("Directory under the artifact kind's install root"),
    name: opt(str).describe("File name to install as (default: the source file's base name)"),
    permissions: opt(mode).describe("File mode, e.g. 0o755"),
    user: opt(str),
    group: opt(str),
    linux_capabilities: opt(z.array(capability)).describe("File capabilities set when the package is installed"),
  })
  .strict();

const dirConfig = z
  .object({ mode: opt(mode), user: opt(str), group: opt(str) })
  .strict();

const artifactMap = z.record(z.string(), orEmpty(artifactConfig));

export const artifacts = z
  .object({
    binaries: opt(artifactMap).describe("Installed under /usr/bin"),
    manpages: opt(artifactMap).describe("Installed under /usr/share/man/<section>"),
    docs: opt(artifactMap).describe("Installed under /usr/share/doc/<package>"),
    configFiles: opt(artifactMap).describe("Installed under /etc, marked as conffiles"),
    libexec: opt(artifactMap).describe("Installed under /usr/libexec"),
    data_dirs: opt(artifactMap).describe("Installed under /usr/share"),
    licenses: opt(artifactMap).describe("Installed under /usr/share/doc/<package>"),
    systemd: opt(
      z
        .object({
          units: opt(
            z.record(
              z.string(),
              orEmpty(z.object({ name: opt(str), enable: opt(z.boolean()), start: opt(z.boolean()) }).strict()),
            ),
          ),
          dropins: opt(z.record(z.string(), orEmpty(z.object({ name: opt(str), unit: str }).strict()))),
        })
        .strict(),
    ),
    links: opt(
      z.array(z.object({ source: str, dest: str, user: opt(str), group: opt(str) }).strict()),
    ).describe("Symlinks: dest -> source"),
    headers: opt(artifactMap).describe("Installed under /usr/include"),
    libs: opt(artifactMap).describe("Installed under /usr/lib"),
    createDirectories: opt(
      z
        .object({
          config: opt(z.record(z.string(), orEmpty(dirConfig))).describe("Directories under /etc"),
          state: opt(z.record(z.string(), orEmpty(dirConfig))).describe("Directories under /var/lib"),
        })
        .strict(),
    ),
    users: opt(z.array(z.object({ name: str }).strict())).describe("System users created on install"),
    groups: opt(z.array(z.object({ name: str }).strict())).describe("System groups created on install"),
    disable_strip: opt(z.boolean()),
    disable_auto_requires: opt(z.boolean()),
    opt: opt(artifactMap).describe("Installed under /opt"),
  })
  .strict();

