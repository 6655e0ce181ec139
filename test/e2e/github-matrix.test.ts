// The GitHub Actions jobs of the example, run one by one on this machine as separate jobs would
// run: before each level the build cache and the local copies of pushed images are dropped, so
// the only state between levels is the registry (and the digests the jobs pass on, as artifacts
// do in GitHub Actions). They must give the same packages (byte for byte:
// packages are reproducible) and images with the same program as `dalec-bake build`.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

interface Entry {
  name: string;
  level: number;
  command: string;
}

const CLI = `node ${join(ROOT, "node_modules/.bin/tsx")} ${join(ROOT, "src/cli/main.ts")}`;

function debs(tree: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = join(tree, "out");
  for (const leaf of readdirSync(dir))
    for (const f of readdirSync(join(dir, leaf))) out.set(`${leaf}/${f}`, createHash("sha256").update(readFileSync(join(dir, leaf, f))).digest("hex"));
  return out;
}

async function programOf(image: string, arch: string): Promise<string> {
  const r = await execa("docker", ["run", "--rm", "--platform", `linux/${arch}`, "--entrypoint", "sh", image, "-c", "sha256sum /usr/bin/hello && hello --version"]);
  return r.stdout;
}

describeEngine("the GitHub Actions matrix, job by job", () => {
  it("gives the same packages and images as dalec-bake build, with only the registry between levels", async () => {
    requireEngine();
    const env = cleanEnv();
    const repo = `127.0.0.1:5000/e2e-${Date.now().toString(36)}`;

    const local = tempDir("dalec-bake-gh-local-");
    cpSync(join(ROOT, "examples/hello"), local, { recursive: true });
    const built = await runCli(["build", "default", "images", "--out", "tree"], local, "x64", env);
    expect(built.code, built.stderr.slice(-3000)).toBe(0);

    const ci = tempDir("dalec-bake-gh-jobs-");
    cpSync(join(ROOT, "examples/hello"), ci, { recursive: true });
    writeFileSync(join(ci, "dalec-bake.yaml"), `${readFileSync(join(ci, "dalec-bake.yaml"), "utf8")}registry: ${repo}\n`);
    const m = await runCli(["matrix", "--out", "tree", "--invoke", CLI], ci, "x64", env);
    expect(m.code, m.stderr).toBe(0);
    const entries = (JSON.parse(m.stdout) as { include: Entry[] }).include;
    const levels = [...new Set(entries.map((e) => e.level))];
    const digestDir = join(ci, "tree/digests");
    const artifacts = tempDir("dalec-bake-gh-artifacts-");
    const uploaded = tempDir("dalec-bake-gh-uploaded-");
    let handedByDigest = 0;
    expect(levels).toEqual([0, 1, 2, 3]);
    for (const level of levels) {
      // A job starts on a fresh machine: no build cache, no image but what it pulls.
      await execa("docker", ["builder", "prune", "-af"]);
      const mine = (await execa("docker", ["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"])).stdout.split("\n").filter((i) => i.startsWith(`${repo}/`));
      if (mine.length) await execa("docker", ["image", "rm", "-f", ...mine]);
      for (const e of entries.filter((x) => x.level === level)) {
        // A fresh checkout, and as download-artifact gives them: every digest the earlier levels' jobs uploaded.
        rmSync(digestDir, { recursive: true, force: true });
        mkdirSync(join(digestDir, "earlier"), { recursive: true });
        for (const f of readdirSync(artifacts)) cpSync(join(artifacts, f), join(digestDir, "earlier", f));
        const job = await execa("bash", ["-c", e.command], { cwd: ci, env: { ...env, DALEC_BAKE_RUN: "e2e" }, extendEnv: false, reject: false, all: true });
        expect(job.exitCode, `${e.command}\n${job.all?.slice(-3000)}`).toBe(0);
        // Every parent built by another job came in by digest, none by tag.
        const logs = join(ci, "tree/logs");
        for (const f of readdirSync(logs).filter((n) => /^chunk-\d+\.json$/.test(n))) {
          const targets = (JSON.parse(readFileSync(join(logs, f), "utf8")) as { target: Record<string, { contexts?: Record<string, string> }> }).target;
          for (const [t, def] of Object.entries(targets))
            for (const ctx of Object.values(def.contexts ?? {}))
              if (ctx.startsWith("docker-image://")) {
                expect(ctx, `${e.name}: ${t}`).toMatch(/@sha256:[0-9a-f]{64}$/);
                handedByDigest++;
              }
        }
        // upload-artifact of `<out>/digests/*.json`: this job's own records only
        const own = readdirSync(digestDir).filter((f) => f.endsWith(".json"));
        expect(own.filter((f) => existsSync(join(artifacts, f))), e.name).toEqual([]);
        for (const f of own) cpSync(join(digestDir, f), join(uploaded, f));
      }
      // the next level's jobs see what this level's uploaded
      for (const f of readdirSync(uploaded)) cpSync(join(uploaded, f), join(artifacts, f));
    }
    expect(handedByDigest).toBeGreaterThan(20);
    const merges = JSON.parse((await runCli(["matrix", "--merge", "--out", "tree"], ci, "x64", env)).stdout).include as { command: string; image: string }[];
    for (const mg of merges) await execa("bash", ["-c", mg.command]);

    // Packages: byte for byte.
    expect(debs(join(ci, "tree"))).toEqual(debs(join(local, "tree")));
    // Images: the same program in each, and one multi-arch image per distro and variant.
    for (const [distro, variant] of [["bookworm", "release"], ["bookworm", "debug"], ["trixie", "release"]]) {
      const inspect = await execa("docker", ["buildx", "imagetools", "inspect", `${repo}/dalec-bake-hello:${distro}-${variant}`]);
      expect(inspect.stdout).toContain("linux/amd64");
      expect(inspect.stdout).toContain("linux/arm64");
      for (const arch of ["amd64", "arm64"]) {
        const tag = `${distro}-${arch}-${variant}`;
        expect(await programOf(`${repo}/dalec-bake-hello:${tag}`, arch)).toBe(await programOf(`dalec-bake/dalec-bake-hello:${tag}`, arch));
      }
    }
  });
});
