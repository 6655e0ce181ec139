#!/usr/bin/env bash
# Runs a target of the example's bake tree (bake/, generated from examples/hello by
# `dalec-bake gen`), e.g. `./bake.sh tests-smoke`. On a Debian machine as root it first makes sure
# the engine is up (scripts/setup-engine.sh: a few minutes the first time, seconds after that).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
  "$root/scripts/setup-engine.sh"
elif ! docker info >/dev/null 2>&1; then
  echo "bake.sh: no Docker engine answers; run scripts/setup-engine.sh as root on Debian, or start Docker Engine >= 26 with buildx >= 0.13" >&2
  exit 1
fi
exec "$root/bake/bake.sh" "$@"
