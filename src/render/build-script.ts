// build.sh: the spec's build steps, then its artifacts installed into the staging root at
// Dalec's locations. Run by bash (not dash) so that specs written for Dalec's other distros,
// which use `set -o pipefail`, build on Debian too.
import type { Artifact, ResolvedSpec } from "../spec/model.js";
import { STAMP, exportLines, sq } from "./shell.js";

export function renderBuildScript(spec: ResolvedSpec): string {
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
    lines.push("", `# step ${i + 1}`, "(", ...exportLines(step.env, "  "), step.command.replace(/\n$/, ""), ")");
  });
  lines.push("", "set +x", "# shellcheck source-path=SCRIPTDIR source=../../../dockerfiles/lib/install.sh", ". /dalec/lib/install.sh");
  for (const a of spec.artifacts) lines.push(installLine(a));
  return `${lines.join("\n")}\n`;
}

function installLine(a: Artifact): string {
  const mode = a.mode === undefined ? "-" : a.mode.toString(8).padStart(4, "0");
  if (a.kind === "manpages" && a.dir === "") return `dalec_install_man ${sq(a.src)}`;
  return `dalec_install ${sq(a.src)} ${sq(a.dir)} ${sq(a.name || "-")} ${mode}`;
}
