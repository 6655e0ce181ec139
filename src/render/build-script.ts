// build.sh: the spec's build steps, then its artifacts installed into the staging root at
// Dalec's locations. Run by bash (not dash) so that specs written for Dalec's other distros,
// which use `set -o pipefail`, build on Debian too.
import type { Artifact, ResolvedSpec } from "../spec/model.js";
import { changelogEpoch } from "./debian-control.js";
import { STAMP, exportLines, sq } from "./shell.js";
import { GENERATED } from "./sources-script.js";

const octal = (m: number) => m.toString(8).padStart(4, "0");

/**
 * `mounted`: whether the sources node laid out mounted sources (.dalec-mounts/), which are no
 * source. `stepRuns`: whether each step runs in a RUN of its own (with its own mounts), named by
 * DALEC_STEP (a step's number, or `install`), as Dalec runs each step.
 */
export function renderBuildScript(spec: ResolvedSpec, unitDir: string, mounted = false, stepRuns = false): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# ${STAMP}`,
    `# Builds ${spec.name} ${spec.version}: sources are in the working directory, one entry per source.`,
    "set -ex",
    `: "\${DESTDIR:?DESTDIR must name the staging root}"`,
    `mkdir -p "$DESTDIR"`,
    ...(mounted ? ["# Mounted sources reach the steps at their destinations, not as sources.", "rm -rf ./.dalec-mounts"] : []),
    "# What dpkg-buildpackage gives Dalec's Debian builds: DEB_BUILD_*, DEB_HOST_*, DEB_TARGET_* and",
    "# SOURCE_DATE_EPOCH from the package's changelog.",
    "if command -v dpkg-architecture >/dev/null; then",
    '  eval "$(dpkg-architecture -s)"',
    `  export SOURCE_DATE_EPOCH=${changelogEpoch(spec)}`,
    "fi",
    ...exportLines(spec.buildEnv),
    ...generatorEnv(spec),
    ...(stepRuns ? ["# Each step runs in a RUN of its own, with its mounts: DALEC_STEP names it (or install).", 'run=${DALEC_STEP:-all}'] : []),
  ];
  // In a RUN of its own, a part runs only when DALEC_STEP names it.
  const part = (name: string, body: string[]) => (stepRuns ? [`if [ "$run" = all ] || [ "$run" = ${name} ]; then`, ...body, "fi"] : body);
  spec.steps.forEach((step, i) => {
    // The spec author's commands are checked by the author, not held to shellcheck here.
    lines.push("", `# step ${i + 1}`, ...part(String(i + 1), ["# shellcheck disable=all", "(", ...exportLines(step.env, "  "), step.command.replace(/\n$/, ""), ")"]));
  });
  const install = ["set +x", "# shellcheck source-path=SCRIPTDIR source=../../../dockerfiles/lib/install.sh", ". /dalec/lib/install.sh"];
  const a = spec.artifacts;
  for (const f of a.files) install.push(installLine(f));
  for (const u of a.units) install.push(`dalec_install ${sq(u.src)} ${sq(unitDir)} ${sq(u.name)} 0644`);
  for (const d of a.dirs) install.push(`dalec_dir ${sq(d.path)} ${octal(d.mode)}`);
  for (const l of a.links) install.push(`dalec_link ${sq(l.source)} ${sq(l.dest)}`);
  lines.push("", ...part("install", install));
  return `${lines.join("\n")}\n`;
}

function installLine(a: Artifact): string {
  const mode = a.mode === undefined ? "-" : octal(a.mode);
  if (a.kind === "manpages" && a.dir === "") return `dalec_install_man ${sq(a.src)}`;
  return `dalec_install ${sq(a.src)} ${sq(a.dir)} ${sq(a.name || "-")} ${mode}`;
}

/** The environment Dalec gives a build for its caches and the generators its sources ran, and the pip pre-install. */
function generatorEnv(spec: ResolvedSpec): string[] {
  const kinds = new Set(spec.generators.map((g) => g.kind));
  const lines: string[] = [];
  if (spec.goCache) lines.push(`export GOCACHE=${spec.goCache}`);
  if (spec.goBins.length) {
    lines.push(
      "# The Go toolchain of a golang-X.Y build dependency first on PATH, as Dalec puts it.",
      `for d in ${spec.goBins.map(sq).join(" ")}; do`,
      '  if [ -e "$d/go" ]; then export PATH="$d:$PATH"; break; fi',
      "done",
    );
  }
  if (spec.sccache) lines.push(`export SCCACHE_DIR=${spec.sccache.dir}`, `export RUSTC_WRAPPER=${spec.sccache.binary}`);
  if (spec.bazel) {
    // Dalec adds the remote cache to the system bazelrc only when the user forwards the socket
    // (the mount is optional); the bazelrc is mounted writable, the write discarded after the step.
    const sock = spec.bazel.socket;
    lines.push(
      `if [ -S ${sock} ]; then`,
      `  printf '%s\\n' 'build --remote_cache=unix:${sock}' 'fetch --remote_cache=unix:${sock}' >> /etc/bazel.bazelrc`,
      "fi",
    );
  }
  if (kinds.has("gomod")) lines.push(`export GOMODCACHE="$PWD/${GENERATED.gomod}"`);
  if (kinds.has("cargohome")) lines.push(`export CARGO_HOME="$PWD/${GENERATED.cargohome}"`);
  if (kinds.has("pip")) {
    lines.push(
      `export PIP_CACHE_DIR="$PWD/${GENERATED.pip}"`,
      "# Install the pip dependencies from the downloaded cache, as Dalec's build script does.",
      "while IFS= read -r -d '' reqfile; do",
      '  reqdir=$(dirname "$reqfile")',
      '  mkdir -p "$reqdir/site-packages"',
      '  case "$reqfile" in',
      '    *.txt) python3 -m pip install --target="$reqdir/site-packages" --find-links="$PIP_CACHE_DIR" --no-index --requirement="$reqfile" ;;',
      '    *) (cd "$reqdir" && python3 -m pip install --target=site-packages --find-links="$PIP_CACHE_DIR" --no-index .) ;;',
      "  esac",
      '  export PYTHONPATH="$reqdir/site-packages:${PYTHONPATH:-}"',
      `done < <(find . -path ./${GENERATED.pip} -prune -o \\( -name 'requirements*.txt' -o -name pyproject.toml -o -name setup.py \\) -print0)`,
    );
  }
  return lines;
}
