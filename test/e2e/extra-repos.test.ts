// dependencies.extra_repos on the real engine (test/fixtures/extra-repos): a local apt
// repository, made here with dpkg-deb, is the only place the spec's build, runtime and test
// dependencies come from: as a git repository served from this process (the first repo's data,
// which the sources node lays out) and as a named context (the second's). The build finds its
// build dependency, the image gets the runtime one, the tests pass with the test one, and no repo
// config or data is left in the image.
import { createHash } from "node:crypto";
import { chmodSync, cpSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const ARCH = process.arch === "arm64" ? "arm64" : "amd64";

/** A .deb of architecture all holding `files` (path -> [content, mode]). */
async function makeDeb(work: string, repo: string, name: string, files: Record<string, [string, number]>): Promise<void> {
  const root = join(work, name);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  writeFileSync(
    join(root, "DEBIAN", "control"),
    [`Package: ${name}`, "Version: 1.0", "Architecture: all", "Maintainer: dalec-bake tests <tests@example.invalid>", `Description: ${name}, only in a local repository`, ""].join("\n"),
  );
  for (const [path, [content, mode]] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, content);
    chmodSync(full, mode);
  }
  await execa("dpkg-deb", ["--root-owner-group", "--build", root, join(repo, `${name}_1.0_all.deb`)]);
}

/** The repository's Packages index: dpkg-scanpackages when the host has it, else written here. */
async function writeIndex(repo: string): Promise<void> {
  const has = await execa("sh", ["-c", "command -v dpkg-scanpackages"], { reject: false });
  if (has.exitCode === 0) {
    const r = await execa("dpkg-scanpackages", ["--multiversion", ".", "/dev/null"], { cwd: repo });
    writeFileSync(join(repo, "Packages"), `${r.stdout}\n`);
    return;
  }
  const stanzas: string[] = [];
  for (const deb of readdirSync(repo).filter((f) => f.endsWith(".deb")).sort()) {
    const control = (await execa("dpkg-deb", ["-f", join(repo, deb)])).stdout.trimEnd();
    const data = readFileSync(join(repo, deb));
    const hash = (algo: string) => createHash(algo).update(data).digest("hex");
    stanzas.push(`${control}\nFilename: ./${deb}\nSize: ${statSync(join(repo, deb)).size}\nMD5sum: ${hash("md5")}\nSHA256: ${hash("sha256")}\n`);
  }
  writeFileSync(join(repo, "Packages"), stanzas.join("\n"));
}

describeEngine("extra repos", () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it("install build, runtime and test dependencies from a local repository, and leave nothing behind", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-repos-");
    cpSync(join(ROOT, "test/fixtures/extra-repos"), dir, { recursive: true });
    const repo = join(dir, "repo");
    mkdirSync(repo, { recursive: true });
    const work = tempDir("dalec-bake-debs-");
    await makeDeb(work, repo, "dalec-repo-tool", { "usr/bin/dalec-repo-tool": ['#!/bin/sh\necho "dalec-repo-tool 1.0"\n', 0o755] });
    await makeDeb(work, repo, "dalec-repo-lib", { "usr/share/dalec-repo-lib/marker": ["dalec-repo-lib 1.0\n", 0o644] });
    await writeIndex(repo);
    // The same repository as a git repository, served over git's dumb HTTP protocol.
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd, encoding: "utf8" });
    const served = tempDir("dalec-bake-repos-git-");
    const checkout = tempDir("dalec-bake-repos-work-");
    cpSync(repo, checkout, { recursive: true });
    git(checkout, "init", "-q", "-b", "main");
    git(checkout, "add", "-A");
    git(checkout, "commit", "-qm", "repo");
    git(checkout, "tag", "v1");
    git(served, "clone", "-q", "--bare", checkout, join(served, "repo.git"));
    git(join(served, "repo.git"), "update-server-info");
    // The test repo's config comes over http too: BuildKit downloads it (from this process) and
    // checks its digest.
    const list = "deb [trusted=yes] copy:/opt/dalec-test-repo/ ./\n";
    server = createServer((req, res) => {
      const file = join(served, decodeURIComponent((req.url ?? "/").split("?")[0]!));
      if (req.url === "/local-test.list") res.end(list);
      else if (!file.startsWith(join(served, "repo.git")) || !existsSync(file) || !statSync(file).isFile()) res.writeHead(404).end();
      else createReadStream(file).pipe(res);
    });
    await new Promise<void>((ok) => server!.listen(0, "0.0.0.0", ok));
    const port = (server.address() as AddressInfo).port;
    // BuildKit downloads http sources from the host; the sources node's git runs in a container.
    const gateway = execFileSync("docker", ["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"], { encoding: "utf8" }).trim();
    const specFile = join(dir, "extra-repos.yml");
    writeFileSync(
      specFile,
      readFileSync(specFile, "utf8")
        .replace("http://127.0.0.1:1/repo.git", `http://${gateway}:${port}/repo.git`)
        .replace("http://127.0.0.1:1/", `http://127.0.0.1:${port}/`)
        .replace(/sha256:0{64}/, `sha256:${createHash("sha256").update(list).digest("hex")}`),
    );

    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);

    // The image: the runtime dependency installed, the build and test ones not, no repo left.
    const image = `dalec-bake/repo-user:bookworm-${ARCH}`;
    const check = [
      "dpkg -s repo-user dalec-repo-lib | grep -c '^Status: install ok installed'",
      "dpkg -s dalec-repo-tool >/dev/null 2>&1 && echo tool-installed",
      "ls -A /etc/apt/sources.list.d /usr/share/keyrings",
      "ls -d /opt/dalec-repo /opt/dalec-test-repo 2>/dev/null",
      "grep -rl dalec-repo /etc/apt /var/lib/apt/lists 2>/dev/null",
      "true",
    ].join("; ");
    const run = await execa("docker", ["run", "--rm", "--network=none", image, "sh", "-c", check]);
    const debianKeyrings = (await execa("docker", ["run", "--rm", "--network=none", "debian:bookworm", "ls", "-A", "/etc/apt/sources.list.d", "/usr/share/keyrings"])).stdout;
    expect(run.stdout).toBe(`2\n${debianKeyrings}`);
  });

  it("evaluate under bake --print for the RPM family", async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-repos-rpm-");
    cpSync(join(ROOT, "test/fixtures/extra-repos"), dir, { recursive: true });
    mkdirSync(join(dir, "repo"));
    writeFileSync(join(dir, "dalec-bake.yaml"), 'specs: [extra-repos.yml]\ndistros: [almalinux9, rockylinux9, azlinux3]\narches: [amd64, arm64]\nimages: { azlinux3: "azurelinux/base/core:3.0" }\ncontexts: { testrepo: repo }\n');
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const p = await execa("docker", ["buildx", "bake", "--print", "packages", "images", "tests"], { cwd: join(dir, "out"), env: cleanEnv(), extendEnv: false });
    const targets = (JSON.parse(p.stdout) as { target: Record<string, { dockerfile?: string; contexts?: Record<string, string> }> }).target;
    for (const d of ["almalinux9", "rockylinux9", "azlinux3"]) {
      for (const name of [`deps--repo-user--${d}--arm64`, `image--repo-user--${d}--amd64`, `test--repo-user--${d}--amd64`]) {
        expect(targets[name]?.dockerfile, name).toBe("Dockerfile");
      }
      // the first repo's data (laid out by the sources node) in the nodes of build and install,
      // the test repo's (the named context testrepo) in the test node only
      for (const name of [`deps--repo-user--${d}--arm64`, `image--repo-user--${d}--amd64`]) {
        expect(targets[name]?.contexts?.sources, name).toBe("target:sources--repo-user");
        expect(targets[name]?.contexts?.["ctx-testrepo"], name).toBeUndefined();
      }
      expect(targets[`test--repo-user--${d}--amd64`]?.contexts?.["ctx-testrepo"]).toBe("../repo");
      expect(targets[`test--repo-user--${d}--amd64`]?.contexts?.sources).toBeUndefined();
    }
    const deps = readFileSync(join(dir, "out/gen/repo-user/deps/Dockerfile"), "utf8");
    expect(deps).toContain("--mount=type=bind,source=repos/0/config/local,target=/etc/yum.repos.d/local.repo \\\n");
  });
});
