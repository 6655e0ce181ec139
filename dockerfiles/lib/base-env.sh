#!/usr/bin/env bash
# base-env.sh COMMAND...: runs COMMAND with exactly the environment in /dalec/base-env (`env -0`
# run on the base image), nothing of the caller's. The test stage of an image that sets `env`
# runs every command through it, as Dalec runs tests without the image config. Builtins and
# absolute paths only: the caller's PATH may be the image's.
set -euo pipefail
mapfile -t -d '' DALEC_BASE_ENV </dalec/base-env
exec /usr/bin/env -i "${DALEC_BASE_ENV[@]}" "$@"
