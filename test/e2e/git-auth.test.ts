// A git source behind HTTP auth, on the real engine: the token is a bake secret read from the
// environment variable the spec names, never a build arg nor in any generated file; the
// checkout is checked against the spec's checksum; a build source's git context, which BuildKit
// fetches itself, authenticates with the same secret. The server is a plain HTTP git server
// (dumb protocol) in this process, reached from the build at the Docker bridge's gateway.
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listFiles, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const TOKEN = "s3cret-token-never-written";

describeEngine("git sources with auth and checksum", () => {
  const repo = tempDir("dalec-bake-gitsrv-");
  let base = "";
  let sha = "";
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    seen.push(auth ? "auth" : "none");
    if (auth !== `basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' });
      res.end();
      return;
    }
    const file = join(repo, decodeURIComponent((req.url ?? "/").split("?")[0]!));
    if (!file.startsWith(repo) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });

  beforeAll(async () => {
    if (!process.env.CI && !existsSync("/var/run/docker.sock")) return;
    const work = tempDir("dalec-bake-gitwork-");
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd, encoding: "utf8" }).trim();
    git(work, "init", "-q", "-b", "main");
    writeFileSync(join(work, "greeting.txt"), "hello from a private repo\n");
    writeFileSync(join(work, "Dockerfile"), "FROM scratch\nCOPY greeting.txt /built.txt\n");
    git(work, "add", "-A");
    git(work, "commit", "-qm", "one");
    git(work, "tag", "v1");
    sha = git(work, "rev-parse", "HEAD");
    mkdirSync(join(repo, "private"));
    git(repo, "clone", "-q", "--bare", work, join(repo, "private", "repo.git"));
    git(join(repo, "private", "repo.git"), "update-server-info");
    await new Promise<void>((ok) => server.listen(0, "0.0.0.0", ok));
    const gateway = execFileSync("docker", ["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"], { encoding: "utf8" }).trim();
    base = `http://${gateway}:${(server.address() as AddressInfo).port}/private/repo.git`;
  });
  afterAll(() => server.close());

  const spec = (checksum: string) => `name: private
version: 1.0
sources:
  src:
    git:
      url: ${base}
      commit: v1
      checksum: ${checksum}
      auth:
        token: DALEC_TEST_GIT_TOKEN
build:
  steps:
    - command: |
        [ "$(cat src/greeting.txt)" = "hello from a private repo" ]
        [ ! -e src/.git ]
`;

  it("authenticates with the secret and checks the commit", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gitauth-");
    writeFileSync(join(dir, "spec.yml"), spec(sha));
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    // The secret's value is in no generated file, and bake sees only the variable's name.
    for (const f of listFiles(join(dir, "out"))) expect(readFileSync(join(dir, "out", f), "utf8"), f).not.toContain(TOKEN);
    const printed = await execa("docker", ["buildx", "bake", "--print", "sources--private"], { cwd: join(dir, "out"), env: cleanEnv(), extendEnv: false });
    expect(printed.stdout).toContain('"id=dalec-secret-1,env=DALEC_TEST_GIT_TOKEN"');
    const missing = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.all).toContain('git source "src" authenticates with the secret DALEC_TEST_GIT_TOKEN: set the environment variable DALEC_TEST_GIT_TOKEN');
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ DALEC_TEST_GIT_TOKEN: TOKEN }), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    expect(r.all).not.toContain(TOKEN);
    expect(seen).toContain("auth");
  });

  // A build source's git context is fetched by BuildKit itself, which reads the token from the
  // secret GIT_AUTH_TOKEN.<host>: bake fills it from the spec's variable.
  it("builds a build source from the private repository with the secret", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gitbuild-");
    const host = new URL(base).host;
    writeFileSync(
      join(dir, "spec.yml"),
      `name: privbuild\nversion: 1.0\nsources:\n  built:\n    build:\n      source:\n        git:\n          url: ${base}\n          commit: ${sha}\n          auth: { token: DALEC_TEST_GIT_TOKEN }\nbuild:\n  steps:\n    - command: '[ "$(cat built/built.txt)" = "hello from a private repo" ]'\n`,
    );
    expect((await runCli(["gen", "spec.yml", "--out", "out"], dir)).code).toBe(0);
    for (const f of listFiles(join(dir, "out"))) expect(readFileSync(join(dir, "out", f), "utf8"), f).not.toContain(TOKEN);
    const printed = await execa("docker", ["buildx", "bake", "--print", "nested--privbuild--built"], { cwd: join(dir, "out"), env: cleanEnv(), extendEnv: false });
    expect(printed.stdout).toContain(`"id=GIT_AUTH_TOKEN.${host},env=DALEC_TEST_GIT_TOKEN"`);
    const missing = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.all).toContain("could not read Username"); // BuildKit's git, without the token
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ DALEC_TEST_GIT_TOKEN: TOKEN }), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    expect(r.all).not.toContain(TOKEN);
  });

  it("fails when the commit is not the spec's checksum", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gitsum-");
    const wrong = "0".repeat(40);
    writeFileSync(join(dir, "spec.yml"), spec(wrong));
    expect((await runCli(["gen", "spec.yml", "--out", "out"], dir)).code).toBe(0);
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ DALEC_TEST_GIT_TOKEN: TOKEN }), extendEnv: false, reject: false, all: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toContain(`spec.yml: sources.src: ${base} at v1 is commit ${sha}, the spec's checksum is ${wrong}`);
  });
});
