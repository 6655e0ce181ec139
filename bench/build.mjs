// Benchmark of `dalec-bake build` against one plain `docker buildx bake` call on the same tree,
// on the real engine. Synthetic specs with trivial build steps and no dependencies; the
// `packages` group (build + pkg per leaf) of:
//   large: 10 specs x 50 leaves (bookworm amd64, 5 variants x 10 feature sets) = 1,021 targets
//   medium: 2 specs x 24 leaves (4 variants x 6 feature sets) = 101 targets, 3 invocations
//   small: 1 spec x 48 leaves (6 variants x 8 feature sets) = 99 targets, one invocation
// Each measurement starts from an empty build cache (`docker builder prune -af`), then builds
// the same tree a second time, fully cached. Prints Markdown rows for bench/RESULTS.md.
//   [CHUNK=N] node bench/build.mjs [large|medium|small] [runs]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "dist/cli/main.js");

function spec(i) {
  return `name: bench${i}
version: 1.0.${i}
revision: 1
description: synthetic package ${i}
license: MIT
args: { VARIANT: a, FEATURE: f0 }
build:
  env: { VARIANT: "\${VARIANT}", FEATURE: "\${FEATURE}" }
  steps:
    - command: printf '#!/bin/sh\\necho %s %s\\n' "$VARIANT" "$FEATURE" > bench${i} && chmod +x bench${i}
artifacts:
  binaries: { bench${i}: {} }
`;
}

function workspace(specs, variants, features) {
  const dir = mkdtempSync(join(tmpdir(), "dalec-bake-bench-build-"));
  mkdirSync(join(dir, "specs"));
  for (let i = 0; i < specs; i++) writeFileSync(join(dir, "specs", `bench${i}.yml`), spec(i));
  const axis = (name, arg, n) => `  ${name}:\n${Array.from({ length: n }, (_, k) => `    ${name[0]}${k}: { ${arg}: ${name[0]}${k} }`).join("\n")}\n`;
  writeFileSync(join(dir, "dalec-bake.yaml"), `specs: [specs/*.yml]\ndistros: [bookworm]\narches: [amd64]\naxes:\n${axis("variant", "VARIANT", variants)}${axis("feature", "FEATURE", features)}`);
  return dir;
}

function timed(cmd, args, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { ...opts, encoding: "utf8", maxBuffer: 1 << 30 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const tail = `${r.stdout ?? ""}\n${r.stderr ?? ""}`.trim().split("\n").slice(-4).join(" | ");
  return { s, code: r.status, tail };
}

const prune = () => execFileSync("docker", ["builder", "prune", "-af"], { stdio: "ignore" });

const SIZES = { large: [10, 5, 10], medium: [2, 4, 6], small: [1, 6, 8] };
const size = process.argv[2] ?? "small";
const runs = Number(process.argv[3] ?? 1);
const [specs, variants, features] = SIZES[size];
const dir = workspace(specs, variants, features);
execFileSync(process.execPath, [CLI, "gen", "--out", "tree"], { cwd: dir, stdio: "ignore" });
const plan = JSON.parse(execFileSync(process.execPath, [CLI, "plan", "packages", "--json", "--out", "tree"], { cwd: dir, encoding: "utf8" }));
const targets = plan.nodes.length;
console.error(`${size}: ${targets} targets, ${plan.chunks.length} invocations of dalec-bake build`);

const rows = [];
for (let i = 0; i < runs; i++) {
  for (const tool of ["dalec-bake build", "docker buildx bake"]) {
    prune();
    const run = () =>
      tool === "dalec-bake build"
        ? timed(process.execPath, [CLI, "build", "packages", "--out", "tree", ...(process.env.CHUNK ? ["--chunk", process.env.CHUNK] : [])], { cwd: dir })
        : timed("docker", ["buildx", "bake", "-f", "docker-bake.hcl", "packages", "--progress=plain"], { cwd: join(dir, "tree") });
    const cold = run();
    const warm = run();
    rows.push({ tool, cold, warm });
    console.error(`${tool}: cold ${cold.s.toFixed(1)} s (exit ${cold.code}), cached ${warm.s.toFixed(1)} s (exit ${warm.code})${cold.code ? `: ${cold.tail}` : ""}`);
  }
}
for (const r of rows)
  console.log(`| ${size} | ${targets} | ${r.tool} | ${r.cold.s.toFixed(1)} | ${r.cold.code} | ${r.warm.s.toFixed(1)} | ${r.warm.code} | ${r.cold.code ? r.cold.tail.replace(/\|/g, "/").slice(0, 160) : ""} |`);
