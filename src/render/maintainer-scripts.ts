// DEBIAN/postinst, prerm and postrm: what Dalec's postinst and debhelper's dh_installsystemd
// do on install and removal. Users then groups, as Dalec adds them (a user gets its own group,
// so a group of the same name is already there), then owners and capabilities, then systemd
// units. Nothing is written for a package that needs none.
import type { ResolvedSpec } from "../spec/model.js";
import { installedPath } from "../spec/resolve-artifacts.js";
import { STAMP, sq } from "./shell.js";

const CONFIGURE = `[ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]`;

function script(body: string[]): string | undefined {
  if (!body.length) return undefined;
  return ["#!/bin/sh", `# ${STAMP}`, "set -e", "", ...body, ""].join("\n");
}

/** What a package does after install on any distro: users and groups, owners, capabilities. */
export function postInstallLines(spec: ResolvedSpec): string[] {
  const a = spec.artifacts;
  const post: string[] = [];
  for (const u of a.users) post.push(`getent passwd ${sq(u)} >/dev/null || useradd ${sq(u)}`);
  for (const g of a.groups) post.push(`getent group ${sq(g)} >/dev/null || groupadd --system ${sq(g)}`);
  const own = (path: string, user: string | undefined, group: string | undefined, link = false) => {
    const h = link ? "-h" : "-R";
    if (user) post.push(`chown ${h} ${sq(user)} ${sq(path)}`);
    if (group) post.push(`chgrp ${h} ${sq(group)} ${sq(path)}`);
  };
  for (const f of a.files) if (f.dir) own(installedPath(f), f.user, f.group);
  for (const d of a.dirs) own(d.path, d.user, d.group);
  for (const l of a.links) own(l.dest, l.user, l.group, true);
  for (const f of a.files) if (f.caps.length) post.push(`setcap ${sq(f.caps.join(" "))} ${sq(installedPath(f))}`);
  return post;
}

export function renderMaintainerScripts(spec: ResolvedSpec): [string, string][] {
  const a = spec.artifacts;
  const post = postInstallLines(spec);
  // As dh_installsystemd, template units (foo@.service) are installed but neither enabled nor
  // started: without an instance there is nothing to act on.
  const acted = a.units.filter((u) => !u.name.includes("@"));
  const units = acted.map((u) => sq(u.name));
  const prerm: string[] = [];
  const postrm: string[] = [];
  if (units.length) {
    post.push(`if ${CONFIGURE}; then`);
    post.push("  if command -v deb-systemd-helper >/dev/null; then");
    for (const u of acted) {
      post.push(`    deb-systemd-helper unmask ${sq(u.name)} >/dev/null || true`);
      if (u.enable) {
        post.push(`    if deb-systemd-helper --quiet was-enabled ${sq(u.name)}; then deb-systemd-helper enable ${sq(u.name)} >/dev/null || true; else deb-systemd-helper update-state ${sq(u.name)} >/dev/null || true; fi`);
      } else {
        post.push(`    deb-systemd-helper update-state ${sq(u.name)} >/dev/null || true`);
      }
    }
    post.push("  fi");
    // As dh_installsystemd does for Dalec (which leaves `start` unread): start on install and
    // restart on upgrade; deb-systemd-invoke acts only on the units that are enabled.
    post.push("  if [ -d /run/systemd/system ]; then");
    post.push("    systemctl --system daemon-reload >/dev/null || true");
    post.push(`    if [ -n "$2" ]; then _dh_action=restart; else _dh_action=start; fi`);
    post.push(`    deb-systemd-invoke "$_dh_action" ${units.join(" ")} >/dev/null || true`);
    post.push("  fi", "fi");
    prerm.push(`if [ -d /run/systemd/system ] && [ "$1" = remove ]; then`, `  deb-systemd-invoke stop ${units.join(" ")} >/dev/null || true`, "fi");
    postrm.push(
      `if [ "$1" = remove ] && [ -d /run/systemd/system ]; then`,
      "  systemctl --system daemon-reload >/dev/null || true",
      "fi",
      `if [ "$1" = purge ] && command -v deb-systemd-helper >/dev/null; then`,
      `  deb-systemd-helper purge ${units.join(" ")} >/dev/null || true`,
      "fi",
    );
  }
  const out: [string, string][] = [];
  for (const [name, body] of [["postinst", post], ["prerm", prerm], ["postrm", postrm]] as const) {
    const text = script(body);
    if (text) out.push([name, text]);
  }
  return out;
}
