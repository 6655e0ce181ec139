#!/usr/bin/env bash
# rpm.sh META ROOT OUT: builds OUT/<name>-<version>-<release>.<arch>.rpm from a staging root with
# META/package.spec. The %files list is the staging root's files and links (those under /etc
# as %config(noreplace), as Dalec marks config files) and its empty directories.
set -euo pipefail
meta=$1 root=$2 out=$3
top=$(mktemp -d)
list="$top/files.list"
mkdir -p "$out"
while IFS= read -r -d '' f; do
  p=${f#.}
  if [ -d "$root/$f" ] && [ ! -L "$root/$f" ]; then
    printf '%%dir "%s"\n' "$p"
  elif [[ $p == /etc/* ]]; then
    printf '%%config(noreplace) "%s"\n' "$p"
  else
    printf '"%s"\n' "$p"
  fi
done < <(cd "$root" && find . -mindepth 1 \( -type f -o -type l -o \( -type d -empty \) \) -print0 | sort -z) >"$list"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}
rpmbuild -bb --quiet \
  --define "_topdir $top" \
  --define "dalec_root $root" \
  --define "dalec_files $list" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "clamp_mtime_to_source_date_epoch 1" \
  "$meta/package.spec"
find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
rm -rf "$top"
