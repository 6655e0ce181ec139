#!/usr/bin/env bash
# Helpers for sources.sh: lay out each source under $OUT/<name> as Dalec does.
set -euo pipefail
shopt -s dotglob nullglob

# dalec_inline_file NAME MODE: the generated file gen/inline/NAME becomes $OUT/NAME.
dalec_inline_file() {
  cp "/dalec/gen/inline/$1" "$OUT/$1"
  chmod "$2" "$OUT/$1"
}

# dalec_inline_dir NAME MODE [FILE MODE]...: an inline directory and its files.
dalec_inline_dir() {
  local name=$1 mode=$2
  shift 2
  mkdir -p "$OUT/$name"
  while [ $# -gt 0 ]; do
    cp "/dalec/gen/inline/$name/$1" "$OUT/$name/$1"
    chmod "$2" "$OUT/$name/$1"
    shift 2
  done
  chmod "$mode" "$OUT/$name"
}

# dalec_context NAME PATH INCLUDE-REGEX EXCLUDE-REGEX: a path of the build context, filtered.
# The regexes are made from Dalec's include/exclude patterns; "" means no filter.
dalec_context() {
  local name=$1 path=$2 inc=$3 exc=$4 root rel
  root="/dalec/context/$path"
  if [ ! -e "$root" ]; then
    echo "dalec-bake: context source \"$name\": \"$path\" does not exist in the build context" >&2
    exit 1
  fi
  if [ -f "$root" ]; then
    cp -a "$root" "$OUT/$name"
    return
  fi
  mkdir -p "$OUT/$name"
  while IFS= read -r -d '' rel; do
    rel=${rel#./}
    if [ -n "$inc" ] && ! [[ $rel =~ $inc ]]; then continue; fi
    if [ -n "$exc" ] && [[ $rel =~ $exc ]]; then continue; fi
    mkdir -p "$OUT/$name/$(dirname "$rel")"
    cp -a "$root/$rel" "$OUT/$name/$rel"
  done < <(cd "$root" && find . \( -type f -o -type l \) -print0 | sort -z)
}
