// build.sh: the spec's build steps, then its artifacts installed into the staging root at
// Dalec's locations. Run by bash (not dash) so that specs written for Dalec's other distros,
// which use `set -o pipefail`, build on Debian too.
import type { Artifact, ResolvedSpec } from "../spec/model.js";
import { STAMP, exportLines, sq } from "./shell.js";

const octal = (m: number) => m.toString(8).padStart(4, "0");

export function renderBuildScript(spec: ResolvedSpec, unitDir: string): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# ${STAMP}`,
    `# Builds ${spec.name} ${spec.version}: sources are in the working directory, one entry per source.`,
    "set -ex",
    `: "\${DESTDIR:?DESTDIR must name the staging root}"`,
    `mkdir -p "$DESTDIR"`,
    ...exportLines(spec.buildEnv),
  ];
  spec.steps.forEach((step, i) => {
    // The spec author's commands are checked by the author, not held to shellcheck here.
    lines.push("", `# step ${i + 1}`, "# shellcheck disable=all", "(", ...exportLines(step.env, "  "), step.command.replace(/\n$/, ""), ")");
  });
  lines.push("", "set +x", "# shellcheck source-path=SCRIPTDIR source=../../../dockerfiles/lib/install.sh", ". /dalec/lib/install.sh");
  const a = spec.artifacts;
  for (const f of a.files) lines.push(installLine(f));
  for (const u of a.units) lines.push(`dalec_install ${sq(u.src)} ${sq(unitDir)} ${sq(u.name)} 0644`);
  for (const d of a.dirs) lines.push(`dalec_dir ${sq(d.path)} ${octal(d.mode)}`);
  for (const l of a.links) lines.push(`dalec_link ${sq(l.source)} ${sq(l.dest)}`);
  return `${lines.join("\n")}\n`;
}

function installLine(a: Artifact): string {
  const mode = a.mode === undefined ? "-" : octal(a.mode);
  if (a.kind === "manpages" && a.dir === "") return `dalec_install_man ${sq(a.src)}`;
  return `dalec_install ${sq(a.src)} ${sq(a.dir)} ${sq(a.name || "-")} ${mode}`;
}
