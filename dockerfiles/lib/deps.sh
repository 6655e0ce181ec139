#!/usr/bin/env bash
# deps.sh LIST [PM]: run when the package manager (apt-get, or PM: dnf/tdnf) could not install
# LIST (build-deps.txt or test-deps.txt). Names the spec field of each dependency the distro has
# no package for, from the list's "#@ NAME<TAB>WHERE" lines; always fails.
set -uo pipefail
list=$1 pm=${2:-}

# has NAME: whether the distro's archive has a package, or a package providing NAME. (Output
# is read whole: `grep -q` ending a pipe early would fail it under pipefail.)
has() {
  local out
  if [ -n "$pm" ]; then
    "$pm" -q info "$1" >/dev/null 2>&1 || "$pm" -q provides "$1" >/dev/null 2>&1
    return
  fi
  out=$(apt-cache policy "$1" 2>/dev/null)
  [[ $out =~ Candidate:\ [^\(] ]] && return 0
  out=$(apt-cache showpkg "$1" 2>/dev/null)
  [[ ${out#*Reverse Provides:} =~ [^[:space:]] ]] && [[ $out == *"Reverse Provides:"* ]]
}

named=0
while IFS=$'\t' read -r name where; do
  has "$name" && continue
  echo "dalec-bake: $where: the distro has no package \"$name\"" >&2
  named=1
done < <(sed -n 's/^#@ //p' "$list")
if [ "$named" = 0 ]; then
  echo "dalec-bake: the dependencies in $(basename "$list") cannot be installed as the spec asks (version constraints?): see the package manager's message above" >&2
fi
exit 1
