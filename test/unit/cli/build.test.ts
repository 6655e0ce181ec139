// `dalec-bake build` driven by a fake `docker` on PATH (test/fake-docker/docker): the failure,
// retry and Ctrl-C paths, which a real engine cannot be made to take on demand.
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

function workspace() {
  const dir = tempDir("dalec-bake-build-");
  cpSync(join(ROOT, "examples/hello"), dir, { recursive: true });
  const state = join(dir, "fake-state");
  mkdirSync(state);
  const env = (extra: Record<string, string> = {}) => ({ PATH: `${join(ROOT, "test/fake-docker")}:${process.env.PATH}`, FAKE_STATE: state, ...extra });
  const calls = () => Number(readFileSync(join(state, "calls"), "utf8"));
  const args = () => readFileSync(join(state, "args"), "utf8").trim().split("\n");
  return { dir, env, calls, args };
}

describe("dalec-bake build (fake docker)", () => {
  it("builds a small tree in one invocation and reports every target", async () => {
    const w = workspace();
    const r = await runCli(["build", "tests-smoke", "--out", "tree"], w.dir, "x64", w.env());
    expect(r.code, r.stderr).toBe(0);
    expect(w.calls()).toBe(1);
    expect(r.stdout).toMatch(/^test--dalec-bake-hello--bookworm--amd64--release +built +2\.0s$/m);
    expect(r.stdout).toContain("7 built in");
    expect(readFileSync(join(w.dir, "tree/logs/test--dalec-bake-hello--bookworm--amd64--release.log"), "utf8")).toContain("step of test--dalec-bake-hello--bookworm--amd64--release");
    expect(JSON.parse(readFileSync(join(w.dir, "tree/logs/metadata.json"), "utf8"))).toHaveProperty(["system--bookworm--amd64", "fake"], true);
  });

  it("with --keep-going builds everything that does not depend on the failure, names it, exits 1", async () => {
    const w = workspace();
    const failing = "build--dalec-bake-hello--bookworm--arm64--debug";
    const r = await runCli(["build", "--out", "tree", "--keep-going"], w.dir, "x64", w.env({ FAKE_FAIL: failing }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${failing} +failed`, "m"));
    for (const stage of ["pkg", "image", "test"]) expect(r.stdout).toMatch(new RegExp(`^${stage}--dalec-bake-hello--bookworm--arm64--debug +skipped .*\\(needs ${failing}\\)`, "m"));
    expect(r.stdout).toContain("1 failed, 3 skipped, 29 built");
    // the second invocation left out the failed target and what depends on it
    const second = w.args()[1]!;
    expect(second).not.toContain(failing);
    expect(second).not.toContain("test--dalec-bake-hello--bookworm--arm64--debug");
    expect(second).toContain("test--dalec-bake-hello--bookworm--arm64--release");
  });

  it("after a failure, points a message naming a spec field at the spec line", async () => {
    const w = workspace();
    const msg = 'dalec-bake: hello.yml: dependencies.build.make: the distro has no package "make"';
    const r = await runCli(["build", "tests-smoke", "--out", "tree"], w.dir, "x64", w.env({ FAKE_FAIL: "deps--dalec-bake-hello--bookworm--amd64", FAKE_STEP_LOG: msg }));
    expect(r.code).toBe(1);
    const line = readFileSync(join(w.dir, "specs/hello.yml"), "utf8").split("\n").findIndex((l) => l === "    make:") + 1;
    expect(r.stderr).toContain(`dalec-bake: specs/hello.yml:${line}:5: dependencies.build.make: the distro has no package "make"`);
  });

  it("without --keep-going stops at the first failure", async () => {
    const w = workspace();
    const r = await runCli(["build", "--out", "tree", "--chunk", "8"], w.dir, "x64", w.env({ FAKE_FAIL: "system--trixie--arm64" }));
    expect(r.code).toBe(1);
    expect(w.calls()).toBe(1);
    expect(r.stdout).toMatch(/^system--trixie--arm64 +failed/m);
    expect(r.stdout).toMatch(/stopped/);
  });

  it("after BuildKit's transient `no such job`, asks for the targets again, half at a time", async () => {
    const w = workspace();
    const r = await runCli(["build", "tests-smoke", "--out", "tree"], w.dir, "x64", w.env({ FAKE_NO_SUCH_JOB: "1" }));
    expect(r.code, r.stderr).toBe(0);
    expect(w.calls()).toBe(3);
    expect(existsSync(join(w.dir, "tree/logs/chunk-001-try3.json"))).toBe(true);
    const targets = (line: string) => line.split(" ").filter((a) => /--/.test(a) && !a.startsWith("--"));
    const [first, second, third] = w.args().map(targets);
    // Each half is asked for with its parents in the chunk (linked as target:), so together they
    // cover the whole chunk (a chain, as here, asks for all of it again with its last half).
    expect(second!.length).toBeLessThan(first!.length);
    expect(third!.length).toBeLessThanOrEqual(first!.length);
    expect([...new Set([...second!, ...third!])].sort()).toEqual([...first!].sort());
  });

  it("asks again when a step failed because runc found a parent's snapshot gone (the engine's race)", async () => {
    const w = workspace();
    const r = await runCli(["build", "tests-smoke", "--out", "tree"], w.dir, "x64", w.env({ FAKE_SNAPSHOT_GONE: "1" }));
    expect(r.code, r.stderr).toBe(0);
    expect(w.calls()).toBeGreaterThan(1);
  });

  it("on Ctrl-C stops the running bake and exits 130", async () => {
    const w = workspace();
    const abort = new AbortController();
    let stderr = "";
    const running = main(["build", "tests-smoke", "--out", "tree"], {
      cwd: w.dir,
      arch: "x64",
      env: w.env({ FAKE_SLEEP: "30" }),
      stdout: () => {},
      stderr: (s) => (stderr += s),
      signal: abort.signal,
    });
    const t0 = Date.now();
    while (!existsSync(join(w.dir, "fake-state/pid"))) await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    expect(await running).toBe(130);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const pid = Number(readFileSync(join(w.dir, "fake-state/pid"), "utf8"));
    expect(() => process.kill(pid, 0)).toThrow();
    expect(stderr).toContain("invocation 1/1");
  }, 20_000);
});

describe("dalec-bake build without docker", () => {
  it("says docker is missing, in one line, exit 1", async () => {
    const w = workspace();
    const r = await runCli(["build", "tests-smoke", "--out", "tree"], w.dir, "x64", { PATH: "/nonexistent" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("dalec-bake: docker: command not found");
  });
});
