// dependencies.extra_repos as generated: each repo is mounted only in the steps its envs name
// (deps: build, image: install, test: test), at the places Dalec mounts it for each family, and a
// node without repos keeps the library's Dockerfile.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../../helpers/cli.js";

const SPEC = (repos: string, targets = "") => `name: demo
version: 1.0
dependencies:
  build: { tool: }
  runtime: { lib: }
  test: { checker: }
  extra_repos:
${repos}
${targets}`;

const BUILD_ONLY = `    - config:
        local:
          inline: { file: { contents: "deb [signed-by=/usr/share/keyrings/repo.asc] file:/opt/repo ./" } }
      keys:
        repo.asc: { context: {}, path: keys/repo.asc }
      data:
        - { dest: /opt/repo, spec: { context: {}, path: repo } }
      envs: [build]`;

async function gen(spec: string, distros = "[bookworm]"): Promise<{ out: string; read: (p: string) => string }> {
  const dir = tempDir();
  mkdirSync(join(dir, "repo"));
  mkdirSync(join(dir, "keys"));
  writeFileSync(join(dir, "keys/repo.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
  writeFileSync(join(dir, "demo.yml"), spec);
  writeFileSync(join(dir, "dalec-bake.yaml"), `specs: [demo.yml]\ndistros: ${distros}\narches: [amd64]\n`);
  const r = await runCli(["gen", "--out", "out"], dir);
  expect(r.code, r.stderr).toBe(0);
  const out = join(dir, "out");
  return { out, read: (p) => readFileSync(join(out, p), "utf8") };
}

describe("extra repos", () => {
  it("a repo with envs [build] is mounted in the deps node only, not in the image or test node", async () => {
    const { out, read } = await gen(SPEC(BUILD_ONLY));
    const deps = read("gen/demo/deps/Dockerfile");
    expect(deps).toContain("    --mount=type=bind,source=repos/0/config/local,target=/etc/apt/sources.list.d/local.list \\\n");
    // Keys stay as they are, where Dalec puts them for apt (signed-by names them).
    expect(deps).toContain("    --mount=type=bind,from=repos,source=keys/repo.asc,target=/usr/share/keyrings/repo.asc \\\n");
    expect(deps).toContain("    --mount=type=bind,from=repos,source=repo,target=/opt/repo \\\n");
    expect(read("gen/demo/deps/repos/0/config/local")).toBe("deb [signed-by=/usr/share/keyrings/repo.asc] file:/opt/repo ./");
    const image = read("gen/demo/image/Dockerfile");
    expect(image).not.toMatch(/repos|sources\.list\.d|keyrings|\/opt\/repo/);
    expect(existsSync(join(out, "gen/demo/image/repos"))).toBe(false);
    expect(existsSync(join(out, "gen/demo/test/Dockerfile"))).toBe(false);
    const hcl = read("docker-bake.hcl");
    const block = (label: string) => hcl.slice(hcl.indexOf(`target "${label}"`), hcl.indexOf("\n}\n", hcl.indexOf(`target "${label}"`)));
    expect(block("deps--demo")).toMatch(/dockerfile = "Dockerfile"/);
    expect(block("deps--demo")).toMatch(/repos += "\.\."\n/);
    expect(block("image--demo")).not.toContain("repos");
    expect(block("test--demo")).toContain('dockerfile = "../../../dockerfiles/Dockerfile.test"');
    expect(block("test--demo")).not.toContain("repos");
  });

  it("a repo without envs is in every step; on the RPM family as a yum repo, its keys imported by rpm", async () => {
    const repos = `    - config:
        local.repo:
          inline: { file: { contents: "[local]\\nbaseurl=file:///opt/repo\\n" } }
      keys:
        repo.asc: { context: {}, path: keys/repo.asc }`;
    const { read } = await gen(SPEC(repos), "[almalinux9]");
    for (const f of ["gen/demo/deps/Dockerfile", "gen/demo/image/Dockerfile", "gen/demo/test/Dockerfile"]) {
      const text = read(f);
      expect(text, f).toContain("--mount=type=bind,source=repos/0/config/local.repo,target=/etc/yum.repos.d/local.repo \\\n");
      expect(text, f).toContain("--mount=type=bind,from=repos,source=repo.asc,target=/etc/pki/rpm-gpg/repo.asc \\\n");
      expect(text, f).toMatch(/ rpm --import \/etc\/pki\/rpm-gpg\/repo\.asc && \\\n +pm=\$\(command -v dnf \|\| command -v tdnf\) && \\\n/);
    }
  });

  it("a distro's targets entry replaces the spec's repos whole", async () => {
    const targets = `targets:
  trixie:
    dependencies:
      extra_repos:
        - config: { other: { inline: { file: { contents: "deb [trusted=yes] copy:/srv ./" } } } }
          envs: [install]`;
    const { read } = await gen(SPEC(BUILD_ONLY, targets), "[bookworm, trixie]");
    expect(read("gen/demo/deps--bookworm/Dockerfile")).toContain("target=/etc/apt/sources.list.d/local.list");
    expect(read("gen/demo/deps--trixie/Dockerfile")).not.toContain("sources.list.d");
    expect(read("gen/demo/image--trixie/Dockerfile")).toContain("--mount=type=bind,source=repos/0/config/other,target=/etc/apt/sources.list.d/other.list \\\n");
    expect(read("gen/demo/image--bookworm/Dockerfile")).not.toContain("sources.list.d");
  });
});
