// `dalec-bake matrix` and `dalec-bake workflow`: GitHub Actions jobs for the tree, checked with a
// real workflow validator (@action-validator/cli).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { GH_MATRIX_LIMIT } from "../../../src/report/gh-matrix.js";
import type { MatrixEntry } from "../../../src/report/gh-matrix.js";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

function example(extra = "registry: 127.0.0.1:5000/hello\n"): string {
  const dir = tempDir("dalec-bake-ci-");
  cpSync(join(ROOT, "examples/hello"), dir, { recursive: true });
  writeFileSync(join(dir, "dalec-bake.yaml"), `${readFileSync(join(dir, "dalec-bake.yaml"), "utf8")}${extra}`);
  return dir;
}

type Entry = MatrixEntry;

async function entries(dir: string, args: string[]): Promise<Entry[]> {
  const r = await runCli(["matrix", "--out", "tree", ...args], dir, "x64", env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { include: Entry[] }).include;
}

describe("dalec-bake matrix", () => {
  it("lists each level's jobs on runners of their arch, every target once", async () => {
    const dir = example();
    const all = await entries(dir, ["--runner", "arm64=arm-runner"]);
    expect([...new Set(all.map((e) => e.level))]).toEqual([0, 1, 2, 3]);
    const targets = all.flatMap((e) => e.targets.split(" "));
    expect(targets).toHaveLength(33);
    expect(new Set(targets).size).toBe(33);
    for (const e of all) {
      expect(e.runner).toBe(e.arch === "arm64" ? "arm-runner" : "ubuntu-latest");
      expect(e.command).toBe(`npx --yes dalec-bake@0.1.0 build --out tree --push --only ${e.targets}`);
      for (const t of e.targets.split(" ")) if (!t.startsWith("sources--")) expect(t).toContain(`--${e.arch}`);
    }
    const level2 = await entries(dir, ["--level", "2"]);
    expect(level2.every((e) => e.level === 2 && /^(build|pkg|image)--/.test(e.targets))).toBe(true);
  });

  it("lists the multi-arch images to join", async () => {
    const r = await runCli(["matrix", "--merge", "--out", "tree"], example(), "x64", env);
    const merge = JSON.parse(r.stdout).include as { image: string; sources: string[] }[];
    expect(merge.map((m) => m.image)).toEqual([
      "127.0.0.1:5000/hello/dalec-bake-hello:bookworm-release",
      "127.0.0.1:5000/hello/dalec-bake-hello:bookworm-debug",
      "127.0.0.1:5000/hello/dalec-bake-hello:trixie-release",
    ]);
    expect(merge[0]!.sources).toEqual(["127.0.0.1:5000/hello/dalec-bake-hello:bookworm-amd64-release", "127.0.0.1:5000/hello/dalec-bake-hello:bookworm-arm64-release"]);
  });

  it(`never gives a level more than ${GH_MATRIX_LIMIT} jobs`, async () => {
    const dir = tempDir("dalec-bake-ci-large-");
    mkdirSync(join(dir, "specs"));
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, "specs", `p${i}.yml`), `name: p${i}\nversion: 1.0.0\nrevision: 1\ndescription: p\nlicense: MIT\nbuild:\n  steps:\n    - command: "true"\n`);
    const values = (n: number, arg: string) => Array.from({ length: n }, (_, k) => `    v${k}: { ${arg}: v${k} }`).join("\n");
    writeFileSync(
      join(dir, "dalec-bake.yaml"),
      `specs: [specs/*.yml]\ndistros: [bookworm, trixie]\narches: [amd64, arm64]\nregistry: 127.0.0.1:5000/large\naxes:\n  variant:\n${values(6, "A")}\n  feature:\n${values(4, "B")}\n`,
    );
    // 12 specs x 2 distros x 2 arches x 24 leaves = 1,152 leaves: 1,152 jobs at level 2 with --chunk 3
    const all = await entries(dir, ["--chunk", "3"]);
    const perLevel = new Map<number, number>();
    for (const e of all) perLevel.set(e.level, (perLevel.get(e.level) ?? 0) + 1);
    expect(Math.max(...perLevel.values())).toBeLessThanOrEqual(GH_MATRIX_LIMIT);
    expect(all.flatMap((e) => e.targets.split(" "))).toHaveLength(2 * 2 + 12 + 12 * 4 + 1152 * 4);
  });

  it("needs a registry to hand parents between jobs", async () => {
    const r = await runCli(["matrix", "--out", "tree"], example(""), "x64", env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("dalec-bake.yaml: CI jobs hand parents on through a registry");
  });
});

describe("dalec-bake workflow", () => {
  it("writes a workflow that the action validator accepts", async () => {
    const dir = example();
    const r = await runCli(["workflow", "--out", "tree"], dir, "x64", env);
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, ".github/workflows/dalec-bake.yml");
    execFileSync(join(ROOT, "node_modules/.bin/action-validator"), [file], { stdio: "pipe" });
    const text = readFileSync(file, "utf8");
    for (const job of ["prepare:", "level-0:", "level-3:", "merge:"]) expect(text).toContain(`\n  ${job}`);
    expect(text).toContain("registry: 127.0.0.1:5000");
    // each job uploads the digests it pushed; every job after the first level downloads them all
    const doc = parse(text) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
    const uses = (job: string, action: string) => doc.jobs[job]!.steps.filter((s) => s.uses === action);
    expect(uses("level-0", "actions/download-artifact@v4")).toHaveLength(0);
    for (const job of ["level-0", "level-1", "level-2", "level-3"]) {
      expect(uses(job, "actions/upload-artifact@v4")[0]!.with).toMatchObject({ name: "dalec-bake-digests-${{ matrix.id }}", path: "tree/digests/*.json" });
      if (job !== "level-0") expect(uses(job, "actions/download-artifact@v4")[0]!.with).toMatchObject({ pattern: "dalec-bake-digests-*", path: "tree/digests/earlier" });
    }
    // the validator fails on a broken workflow: it is not a check that cannot fail
    writeFileSync(file, text.replace("runs-on: ${{ matrix.runner }}", "runs_on: ${{ matrix.runner }}"));
    expect(spawnSync(join(ROOT, "node_modules/.bin/action-validator"), [file]).status).not.toBe(0);
  });

  it("never overwrites a workflow it did not write", async () => {
    const dir = example();
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(join(dir, ".github/workflows/dalec-bake.yml"), "name: mine\n");
    const r = await runCli(["workflow", "--out", "tree"], dir, "x64", env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to overwrite");
    expect(readFileSync(join(dir, ".github/workflows/dalec-bake.yml"), "utf8")).toBe("name: mine\n");
  });
});
