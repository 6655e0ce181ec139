#!/usr/bin/env bash
# Helpers for test.sh: Dalec's test checks. A failing check names the spec location, the test,
# the step and the check, prints what was found, and the run exits 1 after every check ran.
set -uo pipefail

DALEC_FAILED=0
DALEC_RAN=0
DALEC_TEST=""
DALEC_DIR=""
DALEC_NOFOLLOW=0
DALEC_WORK=$(mktemp -d)
# `matches` is Go's RE2 in Dalec; grep -P on the whole output (-z) reads it the same way for
# what specs write (\d, (?i), `.` not matching a newline, `$` only at the very end). A grep
# without -P falls back to bash's ERE.
DALEC_PCRE=0
if printf 'a\0' | grep -Pzq 'a$' 2>/dev/null; then DALEC_PCRE=1; fi

dalec_fail() {
  DALEC_FAILED=1
  printf 'FAIL %s: test "%s", %s\n' "$DALEC_WHERE" "$DALEC_TEST" "$*" >&2
}

# dalec_runs N: whether test N runs here. Each test runs in a stage of its own when the spec has
# several (Dalec runs each from the image, unaffected by the others): DALEC_RUN_TEST names it.
# Read once and unset: the tests' commands see no variable of ours.
DALEC_ONLY=${DALEC_RUN_TEST:-}
unset DALEC_RUN_TEST
dalec_runs() {
  [ -z "$DALEC_ONLY" ] || [ "$DALEC_ONLY" = "$1" ]
}

# dalec_part K: whether part K of a test (step K, or `files`) runs here. A test with mounts runs
# each part in a RUN of its own, which mounts them anew as Dalec does: DALEC_RUN_PART names it.
DALEC_PART=${DALEC_RUN_PART:-}
unset DALEC_RUN_PART
dalec_part() {
  [ -z "$DALEC_PART" ] || [ "$DALEC_PART" = "$1" ]
}

# dalec_test NAME [DIR]: starts a test; its steps run in DIR (the test's `dir`) when given.
dalec_test() {
  DALEC_TEST=$1 DALEC_DIR=${2:-} DALEC_RAN=1
  printf '=== test "%s"\n' "$DALEC_TEST"
}

# dalec_run ARGV...: in the test's dir, if it has one; a program, never a shell builtin. Dalec
# execs a step with the image's environment; bash adds PWD, OLDPWD, SHLVL and `_` to what it
# runs, so those go.
dalec_run() {
  local -a run=(env -u PWD -u OLDPWD -u SHLVL -u _ -- "$@")
  if [ -n "$DALEC_DIR" ]; then (cd -- "$DALEC_DIR" && "${run[@]}"); else "${run[@]}"; fi
}

# dalec_step WHERE LABEL HAS-STDIN STDIN -- ARGV...: runs one step without a shell, as Dalec does.
dalec_step() {
  DALEC_WHERE=$1 DALEC_SUBJECT=$2
  local has_stdin=$3 stdin=$4 code=0
  shift 5
  printf -- '--- %s: %s\n' "$DALEC_SUBJECT" "$*"
  if [ "$has_stdin" = 1 ]; then
    # from a file: a command that reads none of a large stdin must not fail on a broken pipe
    printf '%s' "$stdin" >"$DALEC_WORK/stdin"
    dalec_run "$@" <"$DALEC_WORK/stdin" >"$DALEC_WORK/stdout" 2>"$DALEC_WORK/stderr" || code=$?
  else
    dalec_run "$@" </dev/null >"$DALEC_WORK/stdout" 2>"$DALEC_WORK/stderr" || code=$?
  fi
  if [ "$code" != 0 ]; then
    dalec_fail "$DALEC_SUBJECT exited with code $code; stderr:"
    sed 's/^/    /' "$DALEC_WORK/stderr" >&2
  fi
}

# dalec_file WHERE PATH [no_follow]: the subject of the checks that follow is a file. With
# no_follow, existence, type and permissions are those of a symlink itself (content checks
# still follow it, as in Dalec).
dalec_file() {
  DALEC_WHERE=$1 DALEC_SUBJECT="file $2" DALEC_PATH=$2 DALEC_NOFOLLOW=0
  if [ "${3:-}" = no_follow ]; then DALEC_NOFOLLOW=1; fi
}

dalec_content() { # VAR FILE: the exact bytes of FILE, trailing newlines kept
  local c
  c=$(cat -- "$2" && printf x) || return 1
  printf -v "$1" '%s' "${c%x}"
}

# dalec_expect STREAM|file CHECK VALUE: one output check.
dalec_expect() {
  local stream=$1 check=$2 want=$3 src got
  if [ "$stream" = file ]; then src=$DALEC_PATH; else src="$DALEC_WORK/$stream"; fi
  if ! dalec_content got "$src" 2>/dev/null; then
    dalec_fail "$DALEC_SUBJECT: cannot read $src for check $check"
    return
  fi
  local what="$DALEC_SUBJECT: ${stream/file/content}"
  case $check in
    equals) [[ $got == "$want" ]] || dalec_fail "$what does not equal $(printf '%q' "$want"); found $(printf '%q' "$got")" ;;
    contains) [[ $got == *"$want"* ]] || dalec_fail "$what does not contain $(printf '%q' "$want"); found $(printf '%q' "$got")" ;;
    starts_with) [[ $got == "$want"* ]] || dalec_fail "$what does not start with $(printf '%q' "$want"); found $(printf '%q' "$got")" ;;
    ends_with) [[ $got == *"$want" ]] || dalec_fail "$what does not end with $(printf '%q' "$want"); found $(printf '%q' "$got")" ;;
    matches)
      local rc=0
      if [ "$DALEC_PCRE" = 1 ]; then printf '%s\0' "$got" | grep -Pzq -- "$want" || rc=$?; else [[ $got =~ $want ]] || rc=1; fi
      if [ "$rc" = 1 ]; then dalec_fail "$what does not match /$want/; found $(printf '%q' "$got")"; fi
      if [ "$rc" -gt 1 ]; then dalec_fail "$what: /$want/ is not a valid pattern"; fi
      ;;
    # by size, as Dalec checks it: a NUL byte is not empty
    empty) if [ -s "$src" ]; then dalec_fail "$what is not empty; found $(printf '%q' "$got")"; fi ;;
  esac
}

# dalec_expect_path KIND VALUE: existence, type, permission and link checks of the current file.
# As Dalec stats it: through a symlink (a dangling one does not exist) unless no_follow.
dalec_expect_path() {
  local p=$DALEC_PATH exists=0 dir=0
  if [ "$DALEC_NOFOLLOW" = 1 ] && [ -L "$p" ]; then
    exists=1
  else
    if [ -e "$p" ]; then exists=1; fi
    if [ -d "$p" ]; then dir=1; fi
  fi
  case $1 in
    not_exist)
      if [ "$exists" = 1 ]; then
        dalec_fail "$DALEC_SUBJECT exists but should not"
      elif command -v stat >/dev/null; then
        # Dalec passes only when stat says ENOENT: a path through a file (ENOTDIR) or a symlink
        # loop (ELOOP) is an error there, not an absent file
        local err
        if [ "$DALEC_NOFOLLOW" = 1 ]; then err=$(LC_ALL=C stat -- "$p" 2>&1 >/dev/null); else err=$(LC_ALL=C stat -L -- "$p" 2>&1 >/dev/null); fi
        case $err in
          *": No such file or directory") ;;
          *) dalec_fail "$DALEC_SUBJECT cannot be checked: ${err#stat: }" ;;
        esac
      fi
      ;;
    is_dir)
      if [ "$exists" = 0 ]; then
        dalec_fail "$DALEC_SUBJECT does not exist"
      elif [ "$2" = true ] && [ "$dir" = 0 ]; then
        dalec_fail "$DALEC_SUBJECT is not a directory"
      elif [ "$2" = false ] && [ "$dir" = 1 ]; then
        dalec_fail "$DALEC_SUBJECT is a directory"
      fi
      ;;
    link_target)
      if [ ! -L "$p" ]; then
        dalec_fail "$DALEC_SUBJECT is not a symlink (expected one to $2)"
      elif [ "$(readlink -- "$p")" != "$2" ]; then
        dalec_fail "$DALEC_SUBJECT links to $(readlink -- "$p"), expected $2"
      fi
      ;;
    permissions)
      if [ "$exists" = 0 ]; then
        dalec_fail "$DALEC_SUBJECT does not exist (expected permissions $2)"
      else
        local have
        if [ "$DALEC_NOFOLLOW" = 1 ]; then have=$(stat -c %a -- "$p"); else have=$(stat -L -c %a -- "$p"); fi
        if (((8#$have & 8#777) != (8#$2 & 8#777))); then dalec_fail "$DALEC_SUBJECT has permissions $have, expected $2"; fi
      fi
      ;;
  esac
}

dalec_done() {
  rm -rf "$DALEC_WORK"
  if [ -n "$DALEC_ONLY" ] && [ "$DALEC_RAN" = 0 ]; then
    echo "dalec-bake: no test $DALEC_ONLY in this script (the Dockerfile and test.sh disagree)" >&2
    exit 1
  fi
  if [ "$DALEC_FAILED" != 0 ]; then
    echo "dalec-bake: tests failed" >&2
    exit 1
  fi
  echo "dalec-bake: all tests passed"
}
