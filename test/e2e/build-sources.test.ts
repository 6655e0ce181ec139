// Build sources whose context bake fetches itself, on the real engine (test/fixtures/build-sources):
// a git commit served by this process over git's dumb HTTP protocol (a subfolder as the context;
// all of it, .git kept, with a Dockerfile named by dockerfile_path), and an http file that is the
// Dockerfile, as Dalec names an http source after the Dockerfile; and an image's folder and that
// http file with its digest, which bake.sh's first invocation (the prefetch group) lays out for
// the build to read (a wrong digest fails there). The spec's step
// checks what each build made.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

/** The image whose /ctx is a build source's context: a Dockerfile and the file it reads. */
async function contextImage(): Promise<void> {
  const dir = tempDir("dalec-bake-build-image-");
  mkdirSync(join(dir, "ctx"));
  writeFileSync(join(dir, "ctx", "hello.txt"), "from an image's folder\n");
  writeFileSync(join(dir, "ctx", "extra.md"), "left out by excludes\n");
  const dockerfile = ["FROM debian:bookworm AS b", "ARG WORD", "COPY . /in", 'RUN echo "$(cat /in/hello.txt), $WORD" > /hello.txt && ls /in > /listing.txt', "FROM scratch", "COPY --from=b /hello.txt /listing.txt /"];
  writeFileSync(join(dir, "ctx", "Dockerfile"), `${dockerfile.join("\n")}\n`);
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY ctx /ctx\n");
  await execa("docker", ["build", "-q", "-t", "dalec-bake-test/build-context:1", dir]);
}

const HTTP_DOCKERFILE = `FROM debian:bookworm AS b
ARG WORD
RUN echo "built from an http Dockerfile, $WORD" > /made.txt
FROM scratch
COPY --from=b /made.txt /
`;

/** A bare repository with a docker/ folder and a Dockerfile at the top; its commit. */
function repository(served: string): string {
  const work = tempDir("dalec-bake-build-git-");
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd, encoding: "utf8" }).trim();
  mkdirSync(join(work, "docker"));
  writeFileSync(join(work, "docker", "marker.txt"), "from the docker folder\n");
  writeFileSync(join(work, "docker", "notes.md"), "left out by excludes\n");
  writeFileSync(join(work, "docker", "Dockerfile"), "FROM scratch\nCOPY . /\n");
  writeFileSync(join(work, "top.txt"), "top\n");
  writeFileSync(join(work, "Dockerfile.whole"), "FROM debian:bookworm AS b\nCOPY . /src\nRUN ls -A /src > /listing.txt\nFROM scratch\nCOPY --from=b /listing.txt /\n");
  git(work, "init", "-q", "-b", "main");
  git(work, "add", "-A");
  git(work, "commit", "-qm", "build sources");
  git(served, "clone", "-q", "--bare", work, join(served, "repo.git"));
  git(join(served, "repo.git"), "update-server-info");
  return git(work, "rev-parse", "HEAD");
}

describeEngine("build sources from git and http", () => {
  const served = tempDir("dalec-bake-build-served-");
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    const file = join(served, url);
    if (url === "/Dockerfile") res.end(HTTP_DOCKERFILE);
    else if (!file.startsWith(join(served, "repo.git")) || !existsSync(file) || !statSync(file).isFile()) res.writeHead(404).end();
    else createReadStream(file).pipe(res);
  });
  afterAll(() => new Promise((ok) => server.close(ok)));

  it("build each from the context bake fetches", { timeout: 900_000 }, async () => {
    requireEngine();
    const commit = repository(served);
    await contextImage();
    // BuildKit fetches both itself, from the host.
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as AddressInfo).port;
    const dir = tempDir("dalec-bake-build-sources-");
    cpSync(join(ROOT, "test/fixtures/build-sources"), dir, { recursive: true });
    const spec = join(dir, "build-sources.yml");
    const digest = `sha256:${createHash("sha256").update(HTTP_DOCKERFILE).digest("hex")}`;
    const text = readFileSync(spec, "utf8").replaceAll("http://127.0.0.1:1/", `http://127.0.0.1:${port}/`);
    writeFileSync(spec, text.replace(`sha256:${"0".repeat(64)}`, digest).replaceAll("0".repeat(40), commit));
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    // One nested build asked for: bake.sh prefetches its folder alone.
    const one = await execa(join(dir, "out", "bake.sh"), ["nested--build-sources--fromcmd", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(one.exitCode, one.all?.slice(-5000)).toBe(0);
    expect(readdirSync(join(dir, "out", "out", "prefetch"))).toEqual(["build-sources--fromcmd"]);
    expect(readdirSync(join(dir, "out", "out", "prefetch", "build-sources--fromcmd")).sort()).toEqual(["Dockerfile", "drop.md", "keep.txt", "made.txt"]);
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    // dalec-bake build plans the prefetch node into an invocation before its child's.
    const b = await runCli(["build", "--out", "built", "packages"], dir, "x64", cleanEnv());
    expect(b.code, b.stderr.slice(-5000)).toBe(0);
    // A digest the file does not have: the prefetch node refuses it.
    writeFileSync(spec, text.replace(`sha256:${"0".repeat(64)}`, `sha256:${"1".repeat(64)}`).replaceAll("0".repeat(40), commit));
    expect((await runCli(["gen", "--out", "out"], dir)).code).toBe(0);
    const wrong = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.all).toMatch(/checksum|digest/i);
  });
});
