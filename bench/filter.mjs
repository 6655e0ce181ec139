// Benchmark of lib/sources.sh's dalec_filter, which lays out every filtered source (a context
// with .dockerignore, a git checkout, a folder an image's command made) in the sources, fetch and
// prefetch nodes. A synthetic context of 50 folders x 60 files with a .dockerignore of four rules
// (one an exception) and an exclude, laid out by this checkout's lib and by the lib of the git
// revision given (default: the last one that copied file by file). Each run is a fresh bash into
// an empty folder, timed from spawn to exit; 5 runs each, alternating. Prints Markdown.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const OLD = process.argv[2] ?? "1e51038";
const RUNS = 5;

const work = mkdtempSync(join(tmpdir(), "dalec-bake-bench-filter-"));
const ctx = join(work, "ctx");
for (let d = 1; d <= 50; d++) {
  mkdirSync(join(ctx, `d${d}`), { recursive: true });
  for (let f = 1; f <= 60; f++) writeFileSync(join(ctx, `d${d}`, `f${f}.txt`), `${d}/${f}\n`);
}
mkdirSync(join(work, "gen"));
writeFileSync(join(work, "gen", "dockerignore"), "# rules\n+^d1(/.*)?$\n!^d1/f1\\.txt(/.*)?$\n+^.*\\.log(/.*)?$\n+^(.*/)?secret(/.*)?$\n");
const libs = {
  [OLD]: join(work, "old.sh"),
  current: join(ROOT, "dockerfiles/lib/sources.sh"),
};
writeFileSync(libs[OLD], execFileSync("git", ["-C", ROOT, "show", `${OLD}:dockerfiles/lib/sources.sh`]));

const times = Object.fromEntries(Object.keys(libs).map((k) => [k, []]));
let files = {};
for (let i = 0; i < RUNS; i++) {
  for (const [name, lib] of Object.entries(libs)) {
    const out = join(work, "out");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const t0 = process.hrtime.bigint();
    execFileSync("bash", ["-c", `. "$1" && dalec_context src . '' '^(d2|d3)(/.*)?$'`, "bash", lib], {
      env: { ...process.env, OUT: out, DALEC_GEN: join(work, "gen"), DALEC_CONTEXT: ctx },
    });
    times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    files[name] = execFileSync("find", [out, "-type", "f"]).toString().trim().split("\n").length;
  }
}
rmSync(work, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("| lib | files laid out | runs | median (ms) | raw (ms) |\n| --- | --- | --- | --- | --- |");
for (const [name, xs] of Object.entries(times)) console.log(`| ${name} | ${files[name]} | ${RUNS} | ${Math.round(median(xs))} | ${xs.map(Math.round).join(", ")} |`);
console.log(`\nratio ${OLD}/current: ${(median(times[OLD]) / median(times.current)).toFixed(1)}x`);
