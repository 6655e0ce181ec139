// A git source behind ssh (`auth.ssh`), on the real engine: bake forwards the user's ssh agent to
// the sources node and nothing else (a build source's git context: BuildKit's git, with the ssh
// id "default"); no key is in any generated file. The server is a real
// sshd in a container of the distro image (installed from Debian's archive), serving a bare
// repository, reached from the build at the Docker bridge's gateway.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listFiles, runCli, tempDir } from "../helpers/cli.js";
import { ENGINE, cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { gomodSpec } from "./gomod-spec.js";

const NAME = `dalec-bake-test-sshd-${process.pid}`;
// The server's set-up: sshd from the archive, root allowed in with the test's key only.
const SERVER = [
  "set -e",
  "apt-get update -qq",
  "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server git >/dev/null",
  "ssh-keygen -A",
  "mkdir -p /run/sshd /root/.ssh",
  "install -m 0600 /srv/authorized_keys /root/.ssh/authorized_keys",
  "exec /usr/sbin/sshd -D -e -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no",
].join("\n");

describeEngine("git sources with ssh auth", () => {
  const srv = tempDir("dalec-bake-sshsrv-");
  const keys = tempDir("dalec-bake-sshkeys-");
  const agents: number[] = [];
  let url = "";
  let sha = "";
  let gateway = "";
  let port = "";

  /** An ssh agent on its own socket, holding the test's key or not. */
  const agent = (withKey: boolean): string => {
    const sock = join(keys, `agent-${agents.length}.sock`);
    const out = execFileSync("ssh-agent", ["-a", sock], { encoding: "utf8" });
    agents.push(Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]));
    if (withKey) execFileSync("ssh-add", ["-q", join(keys, "id")], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    return sock;
  };

  /**
   * `bake.sh packages` with an agent without the key (the server refuses, so the node fails and
   * caches nothing), then with one that holds it.
   */
  const refusedThenBuilt = async (out: string) => {
    const bake = (withKey: boolean) => execa(join(out, "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ SSH_AUTH_SOCK: agent(withKey) }), extendEnv: false, reject: false, all: true });
    const denied = await bake(false);
    expect(denied.exitCode).not.toBe(0);
    expect(denied.all).toContain("Permission denied (publickey)");
    const r = await bake(true);
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
  };

  beforeAll(async () => {
    if (!ENGINE) return;
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "dalec-bake-test", "-f", join(keys, "id")]);
    chmodSync(join(keys, "id"), 0o600);
    writeFileSync(join(srv, "authorized_keys"), readFileSync(join(keys, "id.pub")));
    const work = tempDir("dalec-bake-sshwork-");
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd, encoding: "utf8" }).trim();
    git(work, "init", "-q", "-b", "main");
    mkdirSync(join(work, "docs"));
    writeFileSync(join(work, "docs", "greeting.txt"), `hello over ssh, ${Date.now()}\n`);
    writeFileSync(join(work, "docs", "Dockerfile"), "FROM scratch\nCOPY greeting.txt /built.txt\n");
    git(work, "add", "-A");
    git(work, "commit", "-qm", "one");
    sha = git(work, "rev-parse", "HEAD");
    git(srv, "clone", "-q", "--bare", work, join(srv, "repo.git"));
    gateway = (await execa("docker", ["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"])).stdout.trim();
    // A Go module the gomod generator fetches over ssh: its path is the server's, with .git.
    const mod = tempDir("dalec-bake-sshmod-");
    git(mod, "init", "-q", "-b", "main");
    writeFileSync(join(mod, "go.mod"), `module ${gateway}/srv/mod.git\n\ngo 1.19\n`);
    writeFileSync(join(mod, "greet.go"), "package greet\n\nconst Hello = \"hello over ssh\"\n");
    git(mod, "add", "-A");
    git(mod, "commit", "-qm", "one");
    git(mod, "tag", "v1.0.0");
    git(srv, "clone", "-q", "--bare", mod, join(srv, "mod.git"));
    await execa("docker", ["run", "-d", "--rm", "--name", NAME, "-p", "22", "-v", `${srv}:/srv`, "debian:bookworm", "sh", "-c", SERVER]);
    port = (await execa("docker", ["port", NAME, "22/tcp"])).stdout.split("\n")[0]!.split(":").pop()!;
    // Ready when sshd answers a login with the key.
    const ssh = ["-i", join(keys, "id"), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-p", port, "root@127.0.0.1", "true"];
    for (let i = 0; ; i++) {
      if ((await execa("ssh", ssh, { reject: false })).exitCode === 0) break;
      if (i === 180) throw new Error(`sshd did not come up:\n${(await execa("docker", ["logs", NAME], { reject: false, all: true })).all}`);
      await new Promise((ok) => setTimeout(ok, 1000));
    }
    url = `ssh://root@${gateway}:${port}/srv/repo.git`;
  }, 300_000);

  afterAll(async () => {
    for (const pid of agents) process.kill(pid);
    await execa("docker", ["rm", "-f", NAME], { reject: false });
  });

  it("clones with the forwarded agent, and fails without the key", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gitssh-");
    writeFileSync(
      join(dir, "spec.yml"),
      `name: over-ssh
version: 1.0
sources:
  src:
    git:
      url: ${url}
      commit: ${sha}
      auth:
        ssh: default
    path: docs
build:
  steps:
    - command: |
        grep -q "hello over ssh" src/greeting.txt
        [ ! -e src/.git ]
`,
    );
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const key = readFileSync(join(keys, "id"), "utf8");
    for (const f of listFiles(join(dir, "out"))) expect(readFileSync(join(dir, "out", f), "utf8"), f).not.toContain(key.split("\n")[1]);
    const printed = await execa("docker", ["buildx", "bake", "--print", "sources--over-ssh"], { cwd: join(dir, "out"), env: cleanEnv({ SSH_AUTH_SOCK: agent(false) }), extendEnv: false });
    expect(JSON.parse(printed.stdout).target["sources--over-ssh"].ssh).toEqual(["dalec-ssh"]);
    await refusedThenBuilt(join(dir, "out"));
  });

  // A build source's git context: BuildKit's own git source fetches it with the ssh id "default".
  it("builds a build source from the repository over ssh", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gitsshbuild-");
    // BuildKit scans the host key itself and records it without the port, so that only port 22
    // verifies: the server's own address, not the mapped port.
    const ip = (await execa("docker", ["inspect", "-f", "{{.NetworkSettings.IPAddress}}", NAME])).stdout.trim();
    const spec = `name: build-over-ssh\nversion: 1.0\nsources:\n  built:\n    build:\n      source:\n        git:\n          url: ssh://root@${ip}/srv/repo.git\n          commit: ${sha}\n          auth: { ssh: default }\n        path: docs\nbuild:\n  steps:\n    - command: grep -q "hello over ssh" built/built.txt\n`;
    writeFileSync(join(dir, "spec.yml"), spec);
    expect((await runCli(["gen", "spec.yml", "--out", "out"], dir)).code).toBe(0);
    const printed = await execa("docker", ["buildx", "bake", "--print", "nested--build-over-ssh--built"], { cwd: join(dir, "out"), env: cleanEnv({ SSH_AUTH_SOCK: agent(false) }), extendEnv: false });
    expect(JSON.parse(printed.stdout).target["nested--build-over-ssh--built"].ssh).toEqual(["default"]);
    await refusedThenBuilt(join(dir, "out"));
  });

  it("gives a gomod generator's private host the ssh auth of gomod.auth", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gomodssh-");
    const modPath = `${gateway}/srv/mod.git`;
    const auth = `            "${gateway}:${port}":\n              ssh:\n                id: default\n                username: root`;
    writeFileSync(join(dir, "spec.yml"), gomodSpec("gomod-over-ssh", modPath, auth, "hello over ssh"));
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    // These machines reach Debian's archive (the generator's Go) through a TLS-inspecting proxy.
    const ca = process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
    const denied = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ SSH_AUTH_SOCK: agent(false), DALEC_BAKE_CA_CERTS: ca }), extendEnv: false, reject: false, all: true });
    expect(denied.exitCode).not.toBe(0);
    expect(denied.all).toContain("go mod download failed");
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ SSH_AUTH_SOCK: agent(true), DALEC_BAKE_CA_CERTS: ca }), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
  });
});
