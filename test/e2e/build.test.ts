// `dalec-bake build` on the real engine: the example's full matrix split over several bake
// invocations, each shared parent built once; and --keep-going with a leaf that fails.
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { executedRuns, parseRawJson, stageOf } from "./rawjson.js";
import type { Step } from "./rawjson.js";

/** Executed RUN steps of every invocation of the last build in `tree`. */
function executedSteps(tree: string): Step[] {
  const logs = join(tree, "logs");
  return readdirSync(logs)
    .filter((f) => f.endsWith(".progress.json"))
    .flatMap((f) => [...executedRuns(parseRawJson(readFileSync(join(logs, f), "utf8"))).values()].flat());
}

// RUN steps per node of each stage: a test node installs its deps, then runs each of the
// example's 4 tests in a stage of its own.
const RUNS: Record<string, number> = { system: 1, sources: 1, deps: 1, build: 1, pkg: 1, image: 1, test: 5 };

/** Targets the last build in `tree` reports as built (a step of their own ran). */
function builtTargets(tree: string): string[] {
  const summary = readFileSync(join(tree, "logs/summary.txt"), "utf8");
  return [...summary.matchAll(/^(\S+) +built /gm)].map((m) => m[1]!).sort();
}

describeEngine("dalec-bake build", () => {
  let work: string;

  it("builds the full matrix in chunks, each node's steps once, parents handed between invocations", async () => {
    requireEngine();
    work = tempDir("dalec-bake-build-");
    cpSync(join(ROOT, "examples/hello"), work, { recursive: true });
    const env = cleanEnv();
    const planned = await runCli(["plan", "default", "images", "--chunk", "8", "--json", "--out", "tree"], work, "x64", env);
    expect(planned.code, planned.stderr).toBe(0);
    const p = JSON.parse(planned.stdout) as { nodes: { name: string; stage: string }[]; chunks: unknown[] };
    expect(p.chunks.length).toBeGreaterThan(3);

    await execa("docker", ["builder", "prune", "-af"]);
    const r = await runCli(["build", "default", "images", "--chunk", "8", "--jobs", "2", "--out", "tree"], work, "x64", env);
    expect(r.code, `${r.stdout}\n${r.stderr.slice(-3000)}`).toBe(0);

    const executed = executedSteps(join(work, "tree"));
    const report = executed.map((s) => `${stageOf(s)} ${s.target}: ${s.name.slice(0, 120)}`).join("\n");
    for (const stage of Object.keys(RUNS)) {
      const nodes = p.nodes.filter((n) => n.stage === stage).length;
      expect(executed.filter((s) => stageOf(s) === stage), `${stage}\n${report}`).toHaveLength(nodes * RUNS[stage]!);
    }
    // the packages and images are where a build leaves them
    const debs = readdirSync(join(work, "tree/out/pkg--dalec-bake-hello--trixie--arm64--release"));
    expect(debs).toEqual(["dalec-bake-hello_1.2.0-debian13u1_arm64.deb"]);
    const run = await execa("docker", ["run", "--rm", "--platform", "linux/arm64", "dalec-bake/dalec-bake-hello:bookworm-arm64-debug", "--version"]);
    expect(run.stdout).toBe("hello 1.2.0 (debug)");
    expect(r.stdout, r.stdout).toMatch(/^33 built in /m);
  });

  it("plan --since names the nodes that a rebuild after a variant's arg changed then builds", async () => {
    const git = (...args: string[]) => execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: work });
    await git("init", "-q");
    await git("add", "dalec-bake.yaml", "specs", "src");
    await git("commit", "-qm", "example");
    const matrix = join(work, "dalec-bake.yaml");
    writeFileSync(matrix, readFileSync(matrix, "utf8").replace("debug: { BUILD_MODE: debug }", "debug: { BUILD_MODE: debug-2 }"));
    const env = cleanEnv();
    const planned = await runCli(["plan", "default", "images", "--chunk", "8", "--since", "HEAD", "--json", "--out", "tree"], work, "x64", env);
    expect(planned.code, planned.stderr).toBe(0);
    const predicted = (JSON.parse(planned.stdout) as { since: { affected: string[] } }).since.affected.sort();
    expect(predicted).toHaveLength(8);
    const r = await runCli(["build", "default", "images", "--chunk", "8", "--jobs", "2", "--out", "tree"], work, "x64", env);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    // Exactly the predicted nodes were built again; everything else came from the cache.
    expect(builtTargets(join(work, "tree")), r.stdout).toEqual(predicted);
  });

  it("with --keep-going builds every target that does not depend on a failing leaf, names it and exits 1", async () => {
    requireEngine();
    const work = tempDir("dalec-bake-keep-going-");
    writeFileSync(
      join(work, "dalec-bake.yaml"),
      "specs: [ok.yml]\ndistros: [bookworm]\narches: [amd64]\naxes:\n  mode:\n    good: { FAIL: 'no' }\n    bad: { FAIL: 'yes' }\n",
    );
    writeFileSync(
      join(work, "ok.yml"),
      [
        "name: keep-going",
        "version: 1.0.0",
        "revision: 1",
        "description: a leaf that fails on purpose",
        "license: MIT",
        "args: { FAIL: 'no' }",
        "build:",
        "  env: { FAIL: '${FAIL}' }",
        "  steps:",
        '    - command: \'test "$FAIL" = no && printf "#!/bin/sh\\necho ok\\n" > ok && chmod +x ok\'',
        "artifacts:",
        "  binaries: { ok: {} }",
        "tests:",
        "  - name: runs",
        "    steps:",
        "      - command: ok",
        "        stdout: { equals: \"ok\\n\" }",
        "",
      ].join("\n"),
    );
    const r = await runCli(["build", "--keep-going", "--out", "tree"], work, "x64", cleanEnv());
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(r.stdout).toMatch(/^build--keep-going--bookworm--amd64--bad +failed/m);
    for (const stage of ["pkg", "image", "test"]) {
      expect(r.stdout).toMatch(new RegExp(`^${stage}--keep-going--bookworm--amd64--bad +skipped`, "m"));
      expect(r.stdout).toMatch(new RegExp(`^${stage}--keep-going--bookworm--amd64--good +(built|cached)`, "m"));
    }
    expect(readdirSync(join(work, "tree/out/pkg--keep-going--bookworm--amd64--good"))).toEqual(["keep-going_1.0.0-debian12u1_amd64.deb"]);
    expect(readFileSync(join(work, "tree/logs/build--keep-going--bookworm--amd64--bad.log"), "utf8")).toMatch(/ERROR: .*exit code: 1/);
  });
});
