// `dalec-bake plan` and `graph` on the example, and `plan --since` against a real git history.
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mountsOf } from "../../../src/graph/affected.js";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

function repo(): string {
  const dir = tempDir("dalec-bake-since-");
  cpSync(join(ROOT, "examples/hello"), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "example");
  return dir;
}

async function since(dir: string): Promise<string[]> {
  const r = await runCli(["plan", "--since", "HEAD", "--json", "--out", "tree"], dir, "x64", env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { since: { affected: string[] } }).since.affected;
}

describe("plan", () => {
  it("prints a versioned JSON document and a readable summary", async () => {
    const dir = join(ROOT, "examples/hello");
    const json = await runCli(["plan", "--json", "--chunk", "8", "--out", "../../bake"], dir, "x64", env);
    const p = JSON.parse(json.stdout);
    expect(p.version).toBe(1);
    expect(p.chunks.length).toBe(6);
    const text = await runCli(["plan", "tests-smoke", "--out", "../../bake"], dir, "x64", env);
    expect(text.stdout).toContain("Plan for tests-smoke: 7 nodes, 1 bake invocation");
  });

  it("graph prints dot, mermaid and json of the same edges", async () => {
    const dir = join(ROOT, "examples/hello");
    const dot = await runCli(["graph", "tests-smoke", "--out", "../../bake"], dir, "x64", env);
    expect(dot.stdout).toContain('"deps--dalec-bake-hello--bookworm--amd64" -> "build--dalec-bake-hello--bookworm--amd64--release";');
    const json = JSON.parse((await runCli(["graph", "tests-smoke", "--format", "json", "--out", "../../bake"], dir, "x64", env)).stdout);
    expect(json.edges).toHaveLength(7);
    const mermaid = await runCli(["graph", "tests-smoke", "--format", "mermaid", "--out", "../../bake"], dir, "x64", env);
    expect(mermaid.stdout.split("\n").filter((l) => l.includes("-->"))).toHaveLength(7);
    expect((await runCli(["graph", "--format", "svg"], dir, "x64", env)).stderr).toContain('--format: expected dot, mermaid or json, found "svg"');
  });

  it("--since names nothing when nothing changed", async () => {
    expect(await since(repo())).toEqual([]);
  });

  it("--since names only the debug variant's nodes after its build arg changed", async () => {
    const dir = repo();
    const matrix = join(dir, "dalec-bake.yaml");
    writeFileSync(matrix, readFileSync(matrix, "utf8").replace("debug: { BUILD_MODE: debug }", "debug: { BUILD_MODE: debug-2 }"));
    const hit = await since(dir);
    expect(hit).toHaveLength(8);
    expect(hit.every((n) => /^(build|pkg|image|test)--dalec-bake-hello--bookworm--(amd64|arm64)--debug$/.test(n))).toBe(true);
  });

  it("--since follows a change of a context source to the sources node and everything below it", async () => {
    const dir = repo();
    appendFileSync(join(dir, "src/hello.c"), "/* changed */\n");
    const hit = await since(dir);
    expect(hit[0]).toBe("sources--dalec-bake-hello");
    expect(hit.filter((n) => /^(system|deps)--/.test(n))).toEqual([]);
    expect(hit).toHaveLength(1 + 6 * 4);
  });

  it("--since sees a build source's git commit change, which no file of the tree shows", async () => {
    const dir = repo();
    const spec = join(dir, "specs/hello.yml");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: dir, stdio: "ignore" });
    const built = (commit: string) => `sources:\n  built:\n    build:\n      source:\n        git: { url: "https://example.invalid/r.git", commit: "${commit}" }\n`;
    writeFileSync(spec, readFileSync(spec, "utf8").replace("sources:\n", built("v1")));
    git("commit", "-qam", "a build source");
    writeFileSync(spec, readFileSync(spec, "utf8").replace('commit: "v1"', 'commit: "v2"'));
    const hit = await since(dir);
    expect(hit[0]).toBe("nested--dalec-bake-hello--built");
    expect(hit).toContain("fetch--dalec-bake-hello");
  });

  it("--since compares the library Dockerfiles a revision's committed tree was generated with", async () => {
    const dir = repo();
    expect((await runCli(["gen", "--out", "tree"], dir, "x64", env)).code).toBe(0);
    // as an older dalec-bake would have written it
    appendFileSync(join(dir, "tree/dockerfiles/Dockerfile.pkg"), "# an older version\n");
    execFileSync("git", ["add", "tree"], { cwd: dir, stdio: "ignore" });
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "tree"], { cwd: dir, stdio: "ignore" });
    const hit = await since(dir);
    expect(hit.filter((n) => !/^(pkg|image|test)--/.test(n))).toEqual([]);
    expect(hit).toHaveLength(6 * 3);
  });

  it("--since with an unknown revision says so", async () => {
    const r = await runCli(["plan", "--since", "no-such-ref", "--out", "tree"], repo(), "x64", env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--since no-such-ref: git archive failed");
  });
});

describe("mountsOf", () => {
  it("reads what a Dockerfile mounts from each context", () => {
    const m = mountsOf(readFileSync(join(ROOT, "dockerfiles/Dockerfile.test"), "utf8"));
    expect(m).toEqual(new Map([[".", new Set(["test-deps.txt", "test.sh"])], ["lib", new Set(["deps.sh", "checks.sh"])]]));
    expect(mountsOf(readFileSync(join(ROOT, "dockerfiles/Dockerfile.sources"), "utf8")).get("context")).toEqual(new Set(["*"]));
  });
});
