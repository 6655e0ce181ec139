#!/usr/bin/env bash
# Helpers for sources.sh: lay out each source under $OUT/<name> as Dalec does.
set -euo pipefail
shopt -s dotglob nullglob
# Where the generated sources folder and the build context are mounted (set otherwise by tests).
DALEC_GEN=${DALEC_GEN:-/dalec/gen}
DALEC_CONTEXT=${DALEC_CONTEXT:-/dalec/context}
DALEC_FETCH=${DALEC_FETCH:-/dalec/fetch}
DALEC_SECRETS=${DALEC_SECRETS:-/dalec/secrets}
DALEC_SSH_SOCK=${DALEC_SSH_SOCK:-/dalec/ssh-agent.sock}
# A CA bundle given as the dalec-ca-certs secret (behind a TLS-inspecting proxy): every
# downloading tool is pointed at it.
if [ -s /dalec/ca-certs.pem ]; then
  export SSL_CERT_FILE=/dalec/ca-certs.pem CURL_CA_BUNDLE=/dalec/ca-certs.pem GIT_SSL_CAINFO=/dalec/ca-certs.pem \
    NODE_EXTRA_CA_CERTS=/dalec/ca-certs.pem PIP_CERT=/dalec/ca-certs.pem CARGO_HTTP_CAINFO=/dalec/ca-certs.pem
fi

# dalec_own PATH MODE[:UID:GID]: an inline source's owner when not root, then its permission
# bits: as in Dalec, whose files get only those (BuildKit's mkfile drops setuid and the like).
# The owner first: chown clears setuid bits a chmod would have set.
dalec_own() {
  local mode owner=""
  IFS=: read -r mode owner <<<"$2"
  if [ -n "$owner" ]; then chown -h "$owner" "$1"; fi
  chmod "$(printf '%o' $((8#$mode & 8#777)))" "$1"
}

# dalec_inline_file NAME MODE[:UID:GID]: the generated file gen/inline/NAME becomes $OUT/NAME.
dalec_inline_file() {
  cp "$DALEC_GEN/inline/$1" "$OUT/$1"
  dalec_own "$OUT/$1" "$2"
}

# dalec_inline_dir NAME MODE[:UID:GID] [FILE MODE[:UID:GID]]...: an inline directory and its files.
dalec_inline_dir() {
  local name=$1 mode=$2
  shift 2
  mkdir -p "$OUT/$name"
  while [ $# -gt 0 ]; do
    cp "$DALEC_GEN/inline/$name/$1" "$OUT/$name/$1"
    dalec_own "$OUT/$name/$1" "$2"
    shift 2
  done
  dalec_own "$OUT/$name" "$mode"
}

# dalec_context NAME PATH INCLUDES EXCLUDES: a path of the build context, filtered.
# The regexes are made from Dalec's include/exclude patterns; "" means no filter.
# Files the context's .dockerignore excludes are left out, as Docker and Dalec leave them out.
dalec_context() {
  DALEC_IGNORE=1 dalec_filter "$DALEC_CONTEXT" "$@" "the build context"
}

# dalec_fetched NAME INCLUDES EXCLUDES: an image or build source, laid out under
# /NAME/ by the spec's fetch node (its path already applied).
dalec_fetched() {
  dalec_filter "$DALEC_FETCH" "$1" "$1" "$2" "$3" "the fetch node"
}

# dalec_ignored REL: whether .dockerignore excludes REL (a path from the context's root).
# DALEC_CONTEXT_ROOT is where the mounted part of the context sits in the whole context.
dalec_ignored() {
  local rel=$1
  [ -f "$DALEC_GEN/dockerignore" ] || return 1
  # read once: this runs for every file of the context
  if [ -z "${DALEC_IGNORE_READ:-}" ]; then
    # shellcheck disable=SC2034 # read by dalec_match, by name
    mapfile -t DALEC_IGNORE_RULES <"$DALEC_GEN/dockerignore"
    DALEC_IGNORE_READ=1
  fi
  [ "${DALEC_CONTEXT_ROOT:-.}" = . ] || rel="$DALEC_CONTEXT_ROOT/$rel"
  dalec_match DALEC_IGNORE_RULES "$rel"
}

# dalec_rules PATTERNS ARRAY: a source's includes or excludes, given as one regex or as rules
# (one regex per line, "+" to match, "!" for an exception: when they have "!" exceptions), as
# the rules in the array named ARRAY, split once for every path dalec_match then tests.
# shellcheck disable=SC2034 # dalec_rules_out is the caller's array, by name
dalec_rules() {
  local -n dalec_rules_out=$2
  case $1 in
    [+!]*) mapfile -t dalec_rules_out <<<"$1" ;;
    *) dalec_rules_out=("+$1") ;;
  esac
}

# dalec_match ARRAY REL: whether REL matches the rules in the array named ARRAY; the last rule
# that matches decides. A rule bash cannot compile stops the script (gen refuses such patterns).
dalec_match() {
  local -n dalec_match_rules=$1
  local rel=$2 rule out=1 rc
  for rule in "${dalec_match_rules[@]}"; do
    case $rule in
      +* | !*)
        # shellcheck disable=SC2319 # the test's own status: 1 no match, 2 a regex bash refuses
        if [[ $rel =~ ${rule:1} ]]; then rc=0; else rc=$?; fi
        if [ "$rc" = 2 ]; then
          echo "dalec-bake: bash cannot compile the path pattern regex ${rule:1}" >&2
          exit 1
        fi
        if [ "$rc" = 0 ]; then if [ "${rule:0:1}" = + ]; then out=0; else out=1; fi; fi
        ;;
    esac
  done
  return $out
}

# dalec_matches PATTERNS REL: dalec_rules and dalec_match at once, for a single path.
dalec_matches() {
  # shellcheck disable=SC2034 # read by dalec_match, by name
  local -a dalec_matches_rules
  dalec_rules "$1" dalec_matches_rules
  dalec_match dalec_matches_rules "$2"
}

# dalec_field KIND NAME: what a message about source NAME names: the spec file and the source's
# field (DALEC_FIELD, which sources.sh sets for each of the spec's own sources, so that bake.sh
# can point at its line), or else "KIND source "NAME"".
dalec_field() {
  echo "${DALEC_FIELD:-$1source \"$2\"}"
}

# dalec_filter BASE NAME PATH INCLUDES EXCLUDES WHERE: BASE/PATH as $OUT/NAME, INCLUDES and
# EXCLUDES as dalec_rules takes them.
dalec_filter() {
  local base=$1 name=$2 path=$3 inc=$4 exc=$5 where=$6 root rel full
  root="$base/$path"
  if [ ! -e "$root" ]; then
    echo "dalec-bake: $(dalec_field "" "$name"): \"$path\" does not exist in $where" >&2
    exit 1
  fi
  # A path to a file keeps its name inside the source's folder, as Dalec lays it out.
  if [ -f "$root" ]; then
    mkdir -p "$OUT/$name"
    cp -a "$root" "$OUT/$name/"
    return
  fi
  mkdir -p "$OUT/$name"
  # Folders are kept too, empty ones included, as BuildKit copies them: a kept .git needs its
  # empty refs/ folders. What passes is copied by one tar (owners, modes, links and times kept):
  # a process per file would take minutes on a tree of some ten thousand files.
  # shellcheck disable=SC2034 # the rules are read by dalec_match, by name
  local -a kept=() inc_rules exc_rules
  dalec_rules "$inc" inc_rules
  dalec_rules "$exc" exc_rules
  while IFS= read -r -d '' rel; do
    rel=${rel#./}
    if [ -n "$inc" ] && ! dalec_match inc_rules "$rel"; then continue; fi
    if [ -n "$exc" ] && dalec_match exc_rules "$rel"; then continue; fi
    full=$rel
    [ "$path" = . ] || full="$path/$rel"
    if [ "${DALEC_IGNORE:-0}" = 1 ] && dalec_ignored "$full"; then continue; fi
    kept+=("$rel")
  done < <(cd "$root" && find . -mindepth 1 \( -type f -o -type l -o -type d \) -print0 | sort -z)
  if ((${#kept[@]})); then
    printf '%s\0' "${kept[@]}" | tar -C "$root" --numeric-owner --null --no-recursion --verbatim-files-from -T - -cf - | tar -C "$OUT/$name" --numeric-owner -xpf -
  fi
  # Every folder, kept or made to hold what was kept (`docs` for `!docs/man`), takes its owner
  # and mode as BuildKit copies them; last and deepest first, as a folder without write
  # permission could not be filled.
  while IFS= read -r -d '' rel; do
    chown --reference="$root/$rel" "$OUT/$name/$rel"
    chmod --reference="$root/$rel" "$OUT/$name/$rel"
  done < <(cd "$OUT/$name" && find . -mindepth 1 -depth -type d -print0)
}

# dalec_refilter NAME EXCLUDES: $OUT/NAME without what EXCLUDES (as dalec_rules takes them)
# match, laid out again by dalec_filter (what a generator made, filtered as a source is).
dalec_refilter() {
  local name=$1 exc=$2 tmp
  [ -e "$OUT/$name" ] || return 0
  tmp=$(mktemp -d)
  mv "$OUT/$name" "$tmp/in"
  DALEC_IGNORE=0 dalec_filter "$tmp/in" "$name" . "" "$exc" "what the generators made"
  rm -rf "$tmp"
}

# dalec_http NAME URL DIGEST|- MODE: a downloaded file, its digest checked when given.
dalec_http() {
  local name=$1 url=$2 digest=$3 mode=$4 algo want got
  curl -fsSL --retry 3 -o "$OUT/$name" "$url"
  if [ "$digest" != - ]; then
    algo=${digest%%:*} want=${digest#*:}
    got=$("${algo}sum" "$OUT/$name" | cut -d" " -f1)
    if [ "$got" != "$want" ]; then
      echo "dalec-bake: $(dalec_field "http " "$name"): $url has digest $algo:$got, the spec expects $digest" >&2
      exit 1
    fi
  fi
  chmod "$mode" "$OUT/$name"
}

# dalec_ssh WHAT ID: git reaches ssh hosts through the user's agent, which bake forwards as
# dalec-ssh whatever the spec's ssh ID; BuildKit's own git source likewise trusts the host key
# when no known hosts are given.
dalec_ssh() {
  if [ ! -S "$DALEC_SSH_SOCK" ]; then
    echo "dalec-bake: $1 authenticates with ssh (ssh id $2): run bake with an ssh agent (SSH_AUTH_SOCK) that holds its key" >&2
    exit 1
  fi
  export SSH_AUTH_SOCK=$DALEC_SSH_SOCK GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

# dalec_secret WHAT NAME SLOT: prints the secret NAME, mounted in slot SLOT.
dalec_secret() {
  if [ ! -s "$DALEC_SECRETS/$3" ]; then
    echo "dalec-bake: $1 authenticates with the secret $2: set the environment variable $2" >&2
    exit 1
  fi
  cat "$DALEC_SECRETS/$3"
}

# dalec_auth_header token|header VALUE: the Authorization header git sends, as BuildKit sends it.
dalec_auth_header() {
  if [ "$1" = token ]; then
    printf 'Authorization: basic %s' "$(printf 'x-access-token:%s' "$2" | base64 -w0)"
  else
    printf 'Authorization: %s' "$2"
  fi
}

# dalec_git NAME URL COMMIT KEEP-GIT-DIR PATH INCLUDES EXCLUDES CHECKSUM|- AUTH|- SECRET|-
# SLOT|-: a checkout of one commit (a hash, tag or branch), without .git unless asked for, as
# Dalec does. AUTH is token or header: the secret SECRET, mounted in slot SLOT, authenticates
# HTTP as BuildKit's git source does. CHECKSUM, when given, is the commit the checkout must be.
dalec_git() {
  local name=$1 url=$2 commit=$3 keep=$4 path=$5 inc=$6 exc=$7 checksum=$8 auth=$9 secret=${10} slot=${11} work head value ref
  local -a cfg=()
  if [ "$auth" = ssh ]; then
    dalec_ssh "git source \"$name\"" "$secret"
  elif [ "$auth" != - ]; then
    value=$(dalec_secret "git source \"$name\"" "$secret" "$slot")
    cfg=(-c "http.extraHeader=$(dalec_auth_header "$auth" "$value")")
  fi
  work=$(mktemp -d)
  git -c init.defaultBranch=main init -q "$work/repo"
  git -C "$work/repo" remote add origin "$url"
  # As BuildKit's git source: a tag or branch is fetched as that ref (a kept .git then knows
  # the tag), a commit by itself; the work tree is FETCH_HEAD's.
  ref=$commit
  [[ $commit =~ ^[0-9a-f]{40}$ ]] || ref="$commit:$commit"
  if git "${cfg[@]}" -C "$work/repo" fetch -q -u --depth 1 origin "$ref" 2>/dev/null; then
    git -C "$work/repo" -c advice.detachedHead=false checkout -q FETCH_HEAD
  else
    # Servers that cannot fetch one commit by name (the dumb HTTP protocol): fetch all, then pick.
    git "${cfg[@]}" -C "$work/repo" fetch -q --tags origin "+refs/heads/*:refs/remotes/origin/*"
    git -C "$work/repo" -c advice.detachedHead=false checkout -q "$commit"
  fi
  head=$(git -C "$work/repo" rev-parse HEAD)
  if [ "$checksum" != - ] && [[ $head != "$checksum"* ]]; then
    echo "dalec-bake: $(dalec_field "git " "$name"): $url at $commit is commit $head, the spec's checksum is $checksum" >&2
    exit 1
  fi
  # BuildKit checks out submodules, to depth 1, whether or not .git is kept. The source's auth
  # header is not handed to them: they may live on other hosts.
  git -C "$work/repo" submodule -q update --init --recursive --depth=1
  if [ "$keep" = true ]; then
    git -C "$work/repo" reflog expire --all --expire=now
    rm -f "$work/repo/.git/FETCH_HEAD"
  else
    rm -rf "$work/repo/.git"
  fi
  dalec_filter "$work/repo" "$name" "$path" "$inc" "$exc" "$url at $commit"
  rm -rf "$work"
}

# dalec_patch WHERE TARGET PATCH-FILE STRIP: applies one patch to a laid-out source, as Dalec
# does (patch -d SOURCE -pSTRIP). WHERE names the spec file and the patch's field.
dalec_patch() {
  if ! patch -d "$OUT/$2" -p"$4" -s --batch --forward <"$OUT/$3"; then
    echo "dalec-bake: $1: patch \"$3\" does not apply to source \"$2\" (strip $4)" >&2
    exit 1
  fi
}

# dalec_tools PACKAGE...: the tools the spec's generators run, from the tools image's distro.
dalec_tools() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Every generator helper takes WHERE (the spec file and the generator's field, for messages),
# then SOURCE SUBPATH PATH: where it runs in the laid-out source.
dalec_gen_fail() { # WHERE MESSAGE
  echo "dalec-bake: $1: $2" >&2
  exit 1
}

dalec_gen_at() { # SOURCE SUBPATH PATH: the generator's folder, relative to the source
  realpath -m --relative-to="$OUT/$1" "$OUT/$1/$2/$3"
}

dalec_gen_cd() { # WHERE SOURCE SUBPATH PATH
  local dir="$OUT/$2/$3/$4"
  [ -d "$dir" ] || dalec_gen_fail "$1" "\"$(dalec_gen_at "$2" "$3" "$4")\" is not a directory of source \"$2\""
  cd "$dir"
}

# dalec_gomod WHERE SOURCE SUBPATH PATH [go mod edit flag]...: the module's dependencies into
# $OUT/__gomods (the build's GOMODCACHE), after the spec's gomod edits, as Dalec does.
dalec_gomod() {
  local where=$1 src=$2 sub=$3 path=$4 kind host slot user secret value private=
  shift 4
  (
    # --auth=KIND,HOST,SLOT,USER,SECRET per private host, as Dalec's gomod auth: the host is
    # private (no proxy, no checksum database), and git reaches it with the secret's header, or
    # over ssh as USER. Given to git through its environment, so nothing is written to disk.
    local -i n=0
    while [ $# -gt 0 ] && [[ $1 == --auth=* ]]; do
      IFS=, read -r kind host slot user secret <<<"${1#--auth=}"
      shift
      private+=${private:+,}${host%%:*}
      if [ "$kind" = ssh ]; then
        dalec_ssh "$where (host $host)" "$secret"
        export "GIT_CONFIG_KEY_$n=url.ssh://$user@$host/.insteadOf" "GIT_CONFIG_VALUE_$n=https://${host%%:*}/"
      else
        value=$(dalec_secret "$where (host $host)" "$secret" "$slot")
        export "GIT_CONFIG_KEY_$n=http.https://$host/.extraHeader" "GIT_CONFIG_VALUE_$n=$(dalec_auth_header "$kind" "$value")"
      fi
      n+=1
    done
    if [ -n "$private" ]; then export GIT_CONFIG_COUNT=$n GOPRIVATE=$private; fi
    dalec_gen_cd "$where" "$src" "$sub" "$path"
    [ -f go.mod ] || dalec_gen_fail "$where" "no go.mod in source \"$src\" at \"$(dalec_gen_at "$src" "$sub" "$path")\""
    if [ $# -gt 0 ]; then dalec_gomod_edit "$where" "$@"; fi
    GOMODCACHE="$OUT/__gomods" GOPATH=/tmp/go go mod download || dalec_gen_fail "$where" "go mod download failed"
  )
}

# dalec_gomod_edit WHERE EDIT...: the spec's gomod edits (each a go mod edit flag), then what
# Dalec's gomod patch runs after them: go mod tidy (go.sum follows the edits), go.work's go
# version kept equal to go.mod's, and the vendor folder synced when the module has one. Its
# module cache is a scratch one: only `go mod download` fills the build's.
dalec_gomod_edit() {
  local where=$1 edit version vendored=false
  shift
  [ ! -d vendor ] || vendored=true
  for edit in "$@"; do
    go mod edit "$edit" || dalec_gen_fail "$where" "go mod edit $edit failed"
  done
  export GOMODCACHE=/tmp/dalec-gomod-tidy GOPATH=/tmp/go
  go mod tidy || dalec_gen_fail "$where" "go mod tidy failed after the edits"
  if [ -f go.work ]; then
    version=$(grep -m1 '^go ' go.mod || true)
    if [ -n "$version" ]; then sed -i "s/^go [0-9.]*/$version/" go.work; fi
  fi
  if [ "$vendored" = true ]; then
    # go work vendor needs Go 1.22; an older Go vendors the module alone, as Dalec falls back.
    if [ -f go.work ] && go help work vendor >/dev/null 2>&1; then go work vendor; else GOWORK=off go mod vendor; fi ||
      dalec_gen_fail "$where" "go mod vendor failed after the edits"
  fi
  unset GOMODCACHE GOPATH
}

# dalec_cargohome WHERE SOURCE SUBPATH PATH: the crate's dependencies into $OUT/__cargohome.
# cargo fetch runs in a copy of the source: a Cargo.lock it writes or updates is not kept, as
# Dalec keeps only what it fetched.
dalec_cargohome() {
  local home="$OUT/__cargohome" copy
  copy=$(dalec_scratch "$2")
  (
    OUT=$copy dalec_gen_cd "$@"
    CARGO_HOME=$home cargo fetch || dalec_gen_fail "$1" "cargo fetch failed"
  )
  rm -rf "$copy"
}

# dalec_scratch SOURCE: a copy of source SOURCE in a new folder, whose path it prints.
dalec_scratch() {
  local copy
  copy=$(mktemp -d)
  # (a command substitution's shell does not stop on its own at a failure)
  cp -a "$OUT/$1" "$copy/" || return 1
  echo "$copy"
}

# dalec_pip WHERE SOURCE SUBPATH PATH REQUIREMENTS [pip index flag]...: source distributions of
# the requirements, with setuptools and wheel, into $OUT/__pipdeps (the build's PIP_CACHE_DIR).
dalec_pip() {
  local where=$1 src=$2 sub=$3 path=$4 req=$5
  shift 5
  (
    dalec_gen_cd "$where" "$src" "$sub" "$path"
    mkdir -p "$OUT/__pipdeps"
    if ! python3 -m pip download --dest="$OUT/__pipdeps" setuptools wheel "$@" ||
      ! python3 -m pip download --no-binary=:all: --dest="$OUT/__pipdeps" --requirement="$req" "$@"; then
      dalec_gen_fail "$where" "pip download failed"
    fi
  )
}

# dalec_nodemod WHERE SOURCE SUBPATH PATH [npm registry flag]: node_modules in the source itself.
# What npm adds (node_modules, a lock file where there was none) stays; the source's own files
# are put back as they were (a package-lock.json npm rewrote), as Dalec merges the source over
# what npm made.
dalec_nodemod() {
  local where=$1 src=$2 sub=$3 path=$4 copy
  shift 4
  copy=$(dalec_scratch "$src")
  (
    dalec_gen_cd "$where" "$src" "$sub" "$path"
    npm install --prefix . "$@" || dalec_gen_fail "$where" "npm install failed"
  )
  cp -a "$copy/$src/." "$OUT/$src/"
  rm -rf "$copy"
}
