// The generated bake.sh, run by bash with a stand-in `docker` on PATH (test/fake-docker/docker):
// it hands its arguments to bake, runs it again (up to three runs) only after the engine's image-store races,
// and otherwise exits with bake's status after one run.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { renderBakeSh } from "../../../src/render/bake-sh.js";
import { renderSpecFields } from "../../../src/render/spec-fields.js";
import { parseSpec } from "../../../src/spec/load.js";
import { ROOT } from "../../helpers/cli.js";

function setUp(prefetch = false): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "dalec-bake-sh-"));
  writeFileSync(join(dir, "bake.sh"), renderBakeSh(prefetch));
  chmodSync(join(dir, "bake.sh"), 0o755);
  return { dir, env: { PATH: `${join(ROOT, "test/fake-docker")}:${process.env.PATH}`, FAKE_STATE: dir } };
}

describe("bake.sh", () => {
  it("runs bake again after the image-store load race, and passes its arguments", async () => {
    const { dir, env } = setUp();
    const r = await execa(join(dir, "bake.sh"), ["tests-smoke", "--progress=rawjson"], { env: { ...env, FAKE_LOAD_RACE: "1" }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(join(dir, "calls"), "utf8").trim()).toBe("2");
    expect(readFileSync(join(dir, "args"), "utf8")).toBe("buildx bake -f docker-bake.hcl tests-smoke --progress=rawjson\n".repeat(2));
    expect(r.stderr).toContain("running bake again (run 2 of 3)");
  });

  it("runs bake at most three times when the race comes back", async () => {
    const twice = setUp();
    const r = await execa(join(twice.dir, "bake.sh"), ["tests"], { env: { ...twice.env, FAKE_LOAD_RACE: "2" }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(join(twice.dir, "calls"), "utf8").trim()).toBe("3");
    const always = setUp();
    const failed = await execa(join(always.dir, "bake.sh"), ["tests"], { env: { ...always.env, FAKE_LOAD_RACE: "9" }, reject: false, all: true });
    expect(failed.exitCode).toBe(1);
    expect(readFileSync(join(always.dir, "calls"), "utf8").trim()).toBe("3");
    expect(failed.stderr).not.toContain("run 4 of 3");
  });

  it("runs bake again when a parent's snapshot vanished while it was loaded", async () => {
    const { dir, env } = setUp();
    const r = await execa(join(dir, "bake.sh"), ["tests-smoke", "--progress=plain"], { env: { ...env, FAKE_SNAPSHOT_GONE: "1" }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(join(dir, "calls"), "utf8").trim()).toBe("2");
    expect(r.stderr).toContain("running bake again");
  });

  it("builds the prefetch nodes the asked targets read first, in an invocation of their own, with the progress asked for", async () => {
    const { dir, env } = setUp(true);
    // What an earlier prefetch exported: BuildKit's local export would merge into it.
    mkdirSync(join(dir, "out", "prefetch", "p--x"), { recursive: true });
    writeFileSync(join(dir, "out", "prefetch", "p--x", "stale.md"), "left the context since\n");
    // A prefetch node no asked target reads is neither built nor emptied.
    mkdirSync(join(dir, "out", "prefetch", "p--y"), { recursive: true });
    // bake --print's JSON: the nested builds' contexts name the folders they read.
    const printed = { target: { "nested--p--x": { context: "out/prefetch/p--x" }, "nested--p--z": { context: "out/prefetch/p--z" }, again: { context: "out/prefetch/p--x" }, other: { context: "elsewhere/prefetch/p--w" } } };
    writeFileSync(join(dir, "print.json"), JSON.stringify(printed, null, 2));
    const r = await execa(join(dir, "bake.sh"), ["tests", "--set", "*.args.X=1", "--progress=plain"], { env: { ...env, FAKE_PRINT: join(dir, "print.json") }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(existsSync(join(dir, "out", "prefetch", "p--x", "stale.md"))).toBe(false);
    expect(existsSync(join(dir, "out", "prefetch", "p--y"))).toBe(true);
    expect(readFileSync(join(dir, "args"), "utf8")).toBe(
      [
        "buildx bake -f docker-bake.hcl --print tests --set *.args.X=1 --progress=plain",
        "buildx bake -f docker-bake.hcl --progress=plain prefetch--p--x prefetch--p--z",
        "buildx bake -f docker-bake.hcl tests --set *.args.X=1 --progress=plain",
        "",
      ].join("\n"),
    );
    // No folder read: no prefetch run; --print: not even the question.
    const none = setUp(true);
    writeFileSync(join(none.dir, "print.json"), JSON.stringify({ target: { t: { context: "." } } }, null, 2));
    expect((await execa(join(none.dir, "bake.sh"), ["tests"], { env: { ...none.env, FAKE_PRINT: join(none.dir, "print.json") }, reject: false })).exitCode).toBe(0);
    expect(readFileSync(join(none.dir, "args"), "utf8")).toBe("buildx bake -f docker-bake.hcl --print tests\nbuildx bake -f docker-bake.hcl tests\n");
    const print = setUp(true);
    expect((await execa(join(print.dir, "bake.sh"), ["--print", "tests"], { env: print.env, reject: false })).exitCode).toBe(0);
    expect(readFileSync(join(print.dir, "args"), "utf8")).toBe("buildx bake -f docker-bake.hcl --print tests\n");
  });

  it("exits with bake's status after one run for any other failure", async () => {
    const { dir, env } = setUp();
    const r = await execa(join(dir, "bake.sh"), ["t1"], { env: { ...env, FAKE_FAIL: "t1" }, reject: false });
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, "calls"), "utf8").trim()).toBe("1");
    expect(r.stderr).toContain("ERROR: target t1: failed to solve");
  });

  it("after a failure, points each spec field a step's message names at its line, once, relative to the caller's folder", async () => {
    const { dir, env } = setUp();
    // The tree in <dir>/tree, its spec in <dir>/specs, bake.sh run from <dir>/elsewhere.
    const text = "name: x\nversion: '1'\nrevision: '1'\nlicense: MIT\ndescription: d\nx-deps: &deps\n  build:\n    gcc:\n    missing-one:\ntargets:\n  noble:\n    dependencies:\n      <<: *deps\n";
    mkdirSync(join(dir, "specs"));
    writeFileSync(join(dir, "specs", "x.yml"), text);
    mkdirSync(join(dir, "tree"));
    mkdirSync(join(dir, "elsewhere"));
    writeFileSync(join(dir, "tree", "bake.sh"), renderBakeSh(false));
    chmodSync(join(dir, "tree", "bake.sh"), 0o755);
    writeFileSync(join(dir, "tree", "spec-fields.tsv"), renderSpecFields([parseSpec(text, "specs/x.yml")], ["../specs/x.yml"]));
    const line = 'dalec-bake: x.yml: targets.noble.dependencies.build.missing-one: the distro has no package "missing-one"';
    const r = await execa("../tree/bake.sh", ["t1", "--progress=plain"], { cwd: join(dir, "elsewhere"), env: { ...env, FAKE_FAIL: "t1", FAKE_STEP_LOG: line }, reject: false });
    expect(r.exitCode).toBe(1);
    // the key of the anchored entry the merge brought in: line 9, column 5
    const located = 'dalec-bake: ../specs/x.yml:9:5: targets.noble.dependencies.build.missing-one: the distro has no package "missing-one"';
    expect(r.stderr.split("\n").filter((l) => l === located)).toHaveLength(1);
  });

  it("after a failure, says nothing more for a message naming no spec field", async () => {
    const { dir, env } = setUp();
    writeFileSync(join(dir, "spec-fields.tsv"), "x.yml: name\tx.yml:1:1\n");
    const r = await execa(join(dir, "bake.sh"), ["t1"], { env: { ...env, FAKE_FAIL: "t1", FAKE_STEP_LOG: "dalec-bake: x.yml: sources.y: no such field" }, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(/x\.yml:\d+:\d+/);
  });
});
