#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need, then runs typecheck, lint, the unit
# tests, the freshness check of bake/, and the end-to-end tests on the real engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '\n==> %s\n' "$*" >&2; }

if [ ! -x node_modules/.bin/vitest ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

if ! docker info >/dev/null 2>&1 || [ "$(id -u)" = 0 ]; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    say "making sure the build engine is up (scripts/setup-engine.sh)"
    scripts/setup-engine.sh
  else
    say "no Docker engine answers: end-to-end tests will be skipped (run scripts/setup-engine.sh as root on Debian)"
  fi
fi

say "typecheck"
npm run -s typecheck
say "lint (eslint, shellcheck)"
npm run -s lint
say "bake/ is up to date with examples/hello"
node_modules/.bin/tsx src/cli/main.ts gen --check --config examples/hello/dalec-bake.yaml --out bake

results=$(mktemp -d)
status=0
say "unit tests"
node_modules/.bin/vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" || status=1
say "end-to-end tests on the real engine (they build the example's full matrix several ways, amd64 and arm64: 30 to 65 minutes on two cores, by the machine)"
node_modules/.bin/vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$results/e2e.json" || status=1

# shellcheck disable=SC2016 # the JavaScript below is not for the shell to expand
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/e2e.json"
rm -rf "$results"
exit "$status"
