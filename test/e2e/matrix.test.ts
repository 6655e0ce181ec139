// The example's full matrix on the real engine: packages, images and tests for every vector
// (amd64 and arm64), packages that install with dpkg, and sharing counted from rawjson progress.
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { executedRuns, readRawJson, stageOf } from "./rawjson.js";
import type { Step } from "./rawjson.js";

const LEAVES = [
  ["bookworm", "amd64", "release"],
  ["bookworm", "amd64", "debug"],
  ["bookworm", "arm64", "release"],
  ["bookworm", "arm64", "debug"],
  ["trixie", "amd64", "release"],
  ["trixie", "arm64", "release"],
];

/** Executed RUN steps of one library function. */
function runsOfStage(steps: readonly Step[], stage: string): Step[] {
  return [...executedRuns(steps).values()].flat().filter((s) => stageOf(s) === stage);
}

describeEngine("the example's full matrix", () => {
  let work: string;
  let tree: string;

  async function bake(...targets: string[]): Promise<{ steps: Step[]; logOf: (digest: string) => string; exitCode: number; stderr: string }> {
    const r = await execa(join(tree, "bake.sh"), [...targets, "--progress=rawjson"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    return { ...readRawJson(r.stderr), exitCode: r.exitCode ?? -1, stderr: r.stderr };
  }

  beforeAll(async () => {
    requireEngine();
    work = tempDir("dalec-bake-matrix-");
    cpSync(join(ROOT, "examples/hello"), work, { recursive: true });
    tree = join(work, "tree");
    const g = await runCli(["gen", "--out", tree], work);
    expect(g.code, g.stderr).toBe(0);
    // Cold: nothing of an earlier build may be reused.
    await execa("docker", ["builder", "prune", "-af"]);
  });

  it("builds every package, image and test cold, running each system, sources and deps step once", async () => {
    const r = await bake("default", "images");
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    for (const [distro, arch, variant] of LEAVES) {
      const dir = join(tree, "out", `pkg--dalec-bake-hello--${distro}--${arch}--${variant}`);
      const id = distro === "bookworm" ? "debian12" : "debian13";
      expect(readdirSync(dir)).toEqual([`dalec-bake-hello_1.2.0-${id}u1_${arch}.deb`]);
    }
    // 4 distinct system nodes, 1 sources node, 4 deps nodes (one RUN step each); 6 leaves.
    expect(runsOfStage(r.steps, "system")).toHaveLength(4);
    expect(runsOfStage(r.steps, "sources")).toHaveLength(1);
    expect(runsOfStage(r.steps, "deps")).toHaveLength(4);
    expect(runsOfStage(r.steps, "build")).toHaveLength(6);
    expect(runsOfStage(r.steps, "pkg")).toHaveLength(6);
    expect(runsOfStage(r.steps, "image")).toHaveLength(6);
    // each test node installs test deps, then runs each of the 4 tests from there: 5 RUN steps per leaf
    expect(runsOfStage(r.steps, "test")).toHaveLength(30);
  });

  it("makes packages lintian reports no errors for", async () => {
    for (const [distro, arch, variant] of LEAVES) {
      const dir = join(tree, "out", `pkg--dalec-bake-hello--${distro}--${arch}--${variant}`);
      const [deb] = readdirSync(dir);
      const r = await execa("lintian", ["--fail-on", "error", join(dir, deb!)], { reject: false, all: true });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).not.toMatch(/^E: /m);
    }
  });

  it("installs each package with dpkg into a clean distro container, and the binary runs", async () => {
    for (const [distro, arch, variant] of LEAVES.filter(([, , v]) => v === "release").concat([["bookworm", "arm64", "debug"]])) {
      const dir = join(tree, "out", `pkg--dalec-bake-hello--${distro}--${arch}--${variant}`);
      const r = await execa(
        "docker",
        ["run", "--rm", "--platform", `linux/${arch}`, "-v", `${dir}:/pkgs:ro`, `debian:${distro}`, "sh", "-c", "dpkg -i /pkgs/*.deb && hello --version && hello --name dpkg && dpkg -s dalec-bake-hello | grep -E '^(Status|Architecture):'"],
        { reject: false, all: true },
      );
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toContain(`hello 1.2.0 (${variant})`);
      expect(r.stdout).toContain("Hello, dpkg!");
      expect(r.stdout).toContain("Status: install ok installed");
      expect(r.stdout).toContain(`Architecture: ${arch}`);
    }
  });

  it("after changing only the debug value's build arg, runs only the debug nodes again", async () => {
    const matrix = join(work, "dalec-bake.yaml");
    writeFileSync(matrix, readFileSync(matrix, "utf8").replace("debug: { BUILD_MODE: debug }", "debug: { BUILD_MODE: debug-2 }"));
    const g = await runCli(["gen", "--out", tree], work);
    expect(g.code, g.stderr).toBe(0);
    const r = await bake("default", "images");
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const executed = [...executedRuns(r.steps).values()].flat();
    // Every step outside the debug leaves must come from the cache. A step that ran again is
    // named with when it ran and what it printed: that is how a trixie release leaf's pkg step,
    // seen "run again" about one run in three, turned out to run for 8 µs and print nothing
    // (executedRuns leaves such steps out).
    const about = (s: Step) => `${stageOf(s)} ${s.target}: ${s.name.slice(0, 200)}\n  ${s.started} -> ${s.completed}\n  printed: ${JSON.stringify(r.logOf(s.digest).slice(-600))}`;
    const report = executed.map(about).join("\n");
    expect(executed.filter((s) => !/--debug$/.test(s.target ?? "")).map(about), report).toEqual([]);
    for (const stage of ["system", "sources", "deps"]) expect(runsOfStage(r.steps, stage), report).toHaveLength(0);
    // the two debug leaves (bookworm amd64 and arm64) rebuild, repackage and retest
    expect(runsOfStage(r.steps, "build"), report).toHaveLength(2);
    expect(runsOfStage(r.steps, "pkg"), report).toHaveLength(2);
    expect(runsOfStage(r.steps, "image"), report).toHaveLength(2);
    expect(runsOfStage(r.steps, "test"), report).toHaveLength(10);
    const run = await execa("docker", ["run", "--rm", "dalec-bake/dalec-bake-hello:bookworm-amd64-debug", "--version"]);
    expect(run.stdout).toBe("hello 1.2.0 (debug-2)");
  });
});
