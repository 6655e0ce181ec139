// Benchmark of `dalec-bake gen` on synthetic matrices: a ~7,000-target tree and one ten times
// larger. Each run is a fresh `node dist/cli/main.js gen` process into an empty folder, timed
// from spawn to exit (what a user waits for), with its peak RSS from GNU time. Prints medians
// and raw figures as Markdown for bench/RESULTS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "dist/cli/main.js");

function spec(i) {
  return `args:
  VERSION: 1.${i}.0
  BUILD_MODE: release
  FEATURES: std
  TARGETARCH:
name: pkg${i}
description: synthetic package ${i}
version: \${VERSION}
revision: 1
sources:
  src:
    inline:
      dir:
        files:
          main.c:
            contents: "int main(void) { return ${i} - ${i}; }\\n"
dependencies:
  build: { gcc: , make: }
  runtime: { libc6: { version: [">= 2.30"] } }
  test: { bash: }
targets:
  trixie:
    dependencies:
      build: { gcc: , make: , pkg-config: }
build:
  env:
    BUILD_MODE: \${BUILD_MODE}
    FEATURES: \${FEATURES}
    TARGETARCH: \${TARGETARCH}
  steps:
    - command: cc -O2 -o src/pkg${i} src/main.c
artifacts:
  binaries:
    src/pkg${i}: {}
image:
  entrypoint: /usr/bin/pkg${i}
  labels:
    org.opencontainers.image.version: \${VERSION}
tests:
  - name: runs
    steps:
      - command: pkg${i}
        stdout: { empty: true }
    files:
      /usr/bin/pkg${i}: { permissions: 0755 }
`;
}

function workspace(specs) {
  const dir = mkdtempSync(join(tmpdir(), "dalec-bake-bench-"));
  mkdirSync(join(dir, "specs"));
  for (let i = 0; i < specs; i++) writeFileSync(join(dir, "specs", `pkg${i}.yml`), spec(i));
  writeFileSync(
    join(dir, "dalec-bake.yaml"),
    `specs: [specs/*.yml]
distros: [bookworm, trixie, jammy, noble]
arches: [amd64, arm64]
axes:
  variant:
    release: { BUILD_MODE: release }
    debug: { BUILD_MODE: debug }
    profile: { BUILD_MODE: profile }
  features:
    min: { FEATURES: min }
    std: { FEATURES: std }
    full: { FEATURES: full }
`,
  );
  return dir;
}

// Per spec: 1 sources + 8 deps + 72 leaves x (build, pkg, image, test); plus 8 system nodes.
const targets = (specs) => specs * (1 + 4 * 2 + 4 * 2 * 9 * 4) + 4 * 2;

// A fresh output folder per run, removed only after all runs of a size: ext4 skips inodes freed
// in the last minutes when it allocates new ones, so removing a tree between runs made each
// following run slower than the one before (seen: 0.57 s rising to 1.58 s over seven runs).
function once(dir, out = join(dir, `out-${Math.random().toString(36).slice(2)}`)) {
  const stats = join(dir, "time.txt");
  const t0 = process.hrtime.bigint();
  execFileSync("/usr/bin/time", ["-f", "%M", "-o", stats, process.execPath, CLI, "gen", "--out", out], { cwd: dir, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssMiB = Number(readFileSync(stats, "utf8").trim().split("\n").pop()) / 1024;
  return { ms, rssMiB };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const sizes = [
  { specs: 24, runs: 7 },
  { specs: 240, runs: 5 },
];
const rows = [];
for (const { specs, runs } of sizes) {
  const dir = workspace(specs);
  const warm = join(dir, "out-warm");
  once(dir, warm); // warm the file cache
  const results = Array.from({ length: runs }, () => once(dir));
  // Gen again into an up-to-date tree: what a user pays before each build.
  const again = Array.from({ length: runs }, () => once(dir, warm));
  rmSync(dir, { recursive: true, force: true });
  rows.push({ specs, targets: targets(specs), results, kind: "new folder" }, { specs, targets: targets(specs), results: again, kind: "up to date" });
}

console.log("| specs | targets | output | runs | median time (ms) | ms per 1,000 targets | median peak RSS (MiB) | raw times (ms) | raw peak RSS (MiB) |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  const t = median(r.results.map((x) => x.ms));
  const m = median(r.results.map((x) => x.rssMiB));
  console.log(
    `| ${r.specs} | ${r.targets} | ${r.kind} | ${r.results.length} | ${t.toFixed(0)} | ${((t / r.targets) * 1000).toFixed(1)} | ${m.toFixed(0)} | ${r.results.map((x) => x.ms.toFixed(0)).join(", ")} | ${r.results.map((x) => x.rssMiB.toFixed(0)).join(", ")} |`,
  );
}
