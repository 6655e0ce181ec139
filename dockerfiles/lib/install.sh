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

# dalec_install_man SRC-GLOB: each page as dh_installman installs it: its section from its .TH
# (or .Dt) line, else from its extension; named <name>.<section>; a language code before the
# extension (foo.de.1) puts it under man/<lang>/; gzipped.
dalec_install_man() {
  local src=$1 matches m base stem section lang dir text
  # shellcheck disable=SC2206 # the source is a glob on purpose, as in Dalec
  matches=( $src )
  if [ ${#matches[@]} -eq 0 ]; then
    echo "dalec-bake: man page \"$src\" was not produced by the build" >&2
    return 1
  fi
  for m in "${matches[@]}"; do
    base=${m##*/}
    base=${base%.gz}
    if [[ $m == *.gz ]]; then text=$(gzip -dc "$m"); else text=$(cat "$m"); fi
    section=$(printf '%s\n' "$text" | sed -n -E '/^\.(TH|Dt)[[:space:]]/{s/^\.(TH|Dt)[[:space:]]+("[^"]*"|[^[:space:]]+)[[:space:]]+"?([^[:space:]"]+).*/\3/p;q;}' | tr '[:upper:]' '[:lower:]')
    [[ $section =~ ^[0-9] ]] || section=${base##*.}
    stem=${base%.*}
    lang=""
    if [[ $stem =~ \.([a-z][a-z](_[A-Z][A-Z])?)$ ]]; then lang=${BASH_REMATCH[1]} stem=${stem%.*}; fi
    dir="$DESTDIR/usr/share/man/${lang:+$lang/}man${section%%[!0-9]*}"
    mkdir -p "$dir"
    printf '%s\n' "$text" | gzip -9n >"$dir/$stem.$section.gz"
    chmod 0644 "$dir/$stem.$section.gz"
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
