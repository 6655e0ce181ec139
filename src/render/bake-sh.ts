// bake.sh: the tree's entry point, tuwunel style. Vectors come from the environment
// (`distro=trixie ./bake.sh tests`), everything else is handed to `docker buildx bake`.
import { PREFETCH_GROUP } from "../graph/blocks.js";
import { STAMP } from "./shell.js";
import { SPEC_FIELDS } from "./spec-fields.js";

/**
 * The engine's failures bake.sh runs bake again for (see the comment in the script), as an
 * extended regular expression that grep -E and JavaScript read alike.
 */
export const ENGINE_RACES = [
  'moby-dangling@sha256:[0-9a-f]+": already exists',
  'error mounting "[^"]*/snapshots/[0-9]+/fs" to rootfs at "[^"]*": stat [^ ]*/snapshots/[0-9]+/fs: no such file or directory',
].join("|");

/** `prefetch`: whether the tree has prefetch nodes, which bake.sh builds first. */
export function renderBakeSh(prefetch: boolean): string {
  return `#!/usr/bin/env bash
# ${STAMP}
# Usage: ./bake.sh [TARGET|GROUP...] [docker buildx bake flags]
#   ./bake.sh tests-smoke                      build and test the default vector
#   ./bake.sh system                           build the roots
#   distros='["bookworm","trixie"]' ./bake.sh packages
#   distro=trixie arch=arm64 ./bake.sh tests
set -euo pipefail
start=$PWD
cd "$(dirname "\${BASH_SOURCE[0]}")"
# The shared nodes' messages name a spec's file and field, never its line (a line in their
# inputs would rebuild them whenever an edit moves lines): after a failure, ${SPEC_FIELDS}
# says where each field they name is written.
spec_lines() {
  local at path text
  [ -f ${SPEC_FIELDS} ] || return 0
  awk -F'\\t' 'FNR == NR { if (!/^#/) at[$1] = $2; next }
    (i = index($0, "dalec-bake: ")) {
      msg = substr($0, i + 12); sub(/[[:space:]]+$/, "", msg)
      if (split(msg, part, ": ") < 3 || !((part[1] ": " part[2]) in at) || seen[msg]++) next
      print at[part[1] ": " part[2]] "\\t" substr(msg, length(part[1]) + 3)
    }' ${SPEC_FIELDS} "$1" | while IFS=$'\\t' read -r at text; do
    path=\${at%:*:*}
    echo "dalec-bake: $(realpath -m --relative-to="$start" "$path" 2>/dev/null || echo "$path")\${at#"$path"}: $text" >&2
  done
}
# With the docker driver, buildx loads each parent a target links into the image store; two
# builds loading the same parent at once can fail with 'image "moby-dangling@sha256:...":
# already exists', and a child can find the parent's snapshot gone while it is loaded ('error
# mounting ".../snapshots/N/fs" ...: no such file or directory'). That is the engine's race,
# not the build's: bake runs again, up to three runs in all (a large tree can race twice), and
# what an earlier run built comes from the cache.
${prefetch ? PREFETCH : ""}log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for attempt in 1 2 3; do
  # bake's stderr goes on to ours and into the log, its stdout (bake --print) straight to ours.
  set +e
  { docker buildx bake -f docker-bake.hcl "$@" 2>&1 1>&3 3>&- | tee "$log" 1>&2 3>&-; status=\${PIPESTATUS[0]}; } 3>&1
  set -e
  if [ "$status" = 0 ] || ! grep -Eq '${ENGINE_RACES}' "$log"; then break; fi
  [ "$attempt" = 3 ] || echo "bake.sh: the engine raced loading a parent image into its store; running bake again (run $((attempt + 1)) of 3)" >&2
done
[ "$status" = 0 ] || spec_lines "$log"
exit "$status"
`;
}

// A build source's context bake cannot take as it is (an image's folder, a checked or filtered
// one): a prefetch node lays it out in a folder first, in an invocation of its own (not for
// --print, which builds nothing). Only those the asked targets read: bake --print names them,
// as the folders their nested builds read, so one spec's unset token blocks no other's build.
const PREFETCH = `# A build source's context bake takes only as a folder: its prefetch node lays it out there
# first, in a bake invocation of its own (not for --print). Which nodes: those whose folder
# bake --print shows the asked targets read.
prefetch=(docker buildx bake -f docker-bake.hcl)
for arg in "$@"; do
  case $arg in
    --print | --print=*) prefetch=() && break ;;
    --progress=* | --builder=* | --allow=*) prefetch+=("$arg") ;;
  esac
done
if [ \${#prefetch[@]} -gt 0 ]; then
  folders="\${DALEC_BAKE_OUT:-out}/${PREFETCH_GROUP}/"
  # A bad target or flag prints nothing here: the run below says what is wrong. A folder's name
  # is its node's (prefetch--<name>): a bake target name, never a path.
  wanted=()
  while IFS= read -r folder; do
    # BuildKit's local export merges into a folder: empty it, or what left the context stays.
    rm -rf -- "$folders$folder"
    wanted+=("${PREFETCH_GROUP}--$folder")
  done < <(docker buildx bake -f docker-bake.hcl --print "$@" 2>/dev/null |
    awk -v p="\\"context\\": \\"$folders" '(i = index($0, p)) { s = substr($0, i + length(p)); sub(/".*/, "", s); if (s ~ /^[A-Za-z0-9_-]+$/ && !seen[s]++) print s }')
  if [ \${#wanted[@]} -gt 0 ]; then "\${prefetch[@]}" "\${wanted[@]}"; fi
fi
`;
