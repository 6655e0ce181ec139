#!/usr/bin/env bash
# Installs build artifacts into $DESTDIR the way Dalec lays them out for Debian packages.
shopt -s nullglob

# dalec_install SRC-GLOB DIR NAME|- MODE|-
dalec_install() {
  local src=$1 dir=$2 name=$3 mode=$4 matches m dest
  # shellcheck disable=SC2206 # the source is a glob on purpose, as in Dalec
  matches=( $src )
  if [ ${#matches[@]} -eq 0 ]; then
    echo "dalec-bake: artifact \"$src\" was not produced by the build" >&2
    return 1
  fi
  mkdir -p "$DESTDIR$dir"
  for m in "${matches[@]}"; do
    if [ "$name" != - ] && [ ${#matches[@]} -eq 1 ]; then dest="$DESTDIR$dir/$name"; else dest="$DESTDIR$dir/${m##*/}"; fi
    cp -a "$m" "$dest"
    if [ "$mode" != - ]; then chmod "$mode" "$dest"; fi
  done
}

# dalec_install_man SRC-GLOB: man<section>/ by file extension, gzipped, as dh_installman does.
dalec_install_man() {
  local src=$1 matches m base section
  # shellcheck disable=SC2206 # the source is a glob on purpose, as in Dalec
  matches=( $src )
  if [ ${#matches[@]} -eq 0 ]; then
    echo "dalec-bake: man page \"$src\" was not produced by the build" >&2
    return 1
  fi
  for m in "${matches[@]}"; do
    base=${m##*/}
    base=${base%.gz}
    section=${base##*.}
    section=${section:0:1}
    mkdir -p "$DESTDIR/usr/share/man/man$section"
    if [[ $m == *.gz ]]; then cp "$m" "$DESTDIR/usr/share/man/man$section/$base.gz"; else gzip -9nc "$m" >"$DESTDIR/usr/share/man/man$section/$base.gz"; fi
    chmod 0644 "$DESTDIR/usr/share/man/man$section/$base.gz"
  done
}

# dalec_dir PATH MODE: a directory the package creates (createDirectories).
dalec_dir() {
  mkdir -p "$DESTDIR$1"
  chmod "$2" "$DESTDIR$1"
}

# dalec_link TARGET LINK: a symlink LINK -> TARGET in the package (links).
dalec_link() {
  mkdir -p "$DESTDIR$(dirname "$2")"
  ln -sfn "$1" "$DESTDIR$2"
}
