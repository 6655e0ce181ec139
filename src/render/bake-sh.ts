// bake.sh: the tree's entry point, tuwunel style. Vectors come from the environment
// (`distro=trixie ./bake.sh tests`), everything else is handed to `docker buildx bake`.
import { STAMP } from "./shell.js";

export function renderBakeSh(): string {
  return `#!/usr/bin/env bash
# ${STAMP}
# Usage: ./bake.sh [TARGET|GROUP...] [docker buildx bake flags]
#   ./bake.sh tests-smoke                      build and test the default vector
#   ./bake.sh system                           build the roots
#   distros='["bookworm","trixie"]' ./bake.sh packages
#   distro=trixie arch=arm64 ./bake.sh tests
set -euo pipefail
cd "$(dirname "\${BASH_SOURCE[0]}")"
exec docker buildx bake -f docker-bake.hcl "$@"
`;
}
