// Tests of a leaf whose image sets env run with exactly the base image's environment, as Dalec
// runs them: lib/base-env.sh run by real bash, and the test Dockerfiles gen writes for a spec
// whose image env is set on one distro only.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { instructions } from "../../helpers/dockerfile.js";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

describe("base-env.sh", () => {
  it("runs the command with the recorded environment and nothing of the caller's", async () => {
    const dir = tempDir();
    const base = "PATH=/usr/bin:/bin\0MULTI=a\nb =c\0EMPTY=\0";
    writeFileSync(join(dir, "base-env"), base);
    const script = readFileSync(join(ROOT, "dockerfiles/lib/base-env.sh"), "utf8").replaceAll("/dalec/base-env", join(dir, "base-env"));
    writeFileSync(join(dir, "base-env.sh"), script);
    const env = { PATH: "/nowhere:/usr/bin:/bin", IMAGE_ONLY: "image", MULTI: "image" };
    const r = await execa("bash", [join(dir, "base-env.sh"), "/usr/bin/env", "-0"], { env, extendEnv: false, stripFinalNewline: false });
    expect(r.stdout).toBe(base);
    const args = await execa("bash", [join(dir, "base-env.sh"), "/bin/sh", "-c", 'printf "%s|%s" "$1" "${IMAGE_ONLY-unset}"', "sh", "a b"], { env, extendEnv: false });
    expect(args.stdout).toBe("a b|unset");
  });
});

describe("gen", () => {
  it("gives only the leaves whose image sets env a test stage that runs with the base environment", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "dalec-bake.yaml"), "specs: [spec.yml]\ndistros: [bookworm, trixie]\narches: [amd64]\n");
    writeFileSync(
      join(dir, "spec.yml"),
      "name: envy\nversion: 1\ntargets:\n  trixie:\n    image:\n      env: [PATH=/opt/envy/bin]\ntests:\n  - name: one\n    steps: [{ command: 'true' }]\n  - name: two\n    steps: [{ command: 'true' }]\n",
    );
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const folders = readdirSync(join(dir, "out/gen/envy")).filter((f) => f.startsWith("test--"));
    expect(folders.sort()).toEqual(["test--bookworm", "test--trixie"]);
    const trixie = instructions(readFileSync(join(dir, "out/gen/envy/test--trixie/Dockerfile"), "utf8"));
    const bookworm = readFileSync(join(dir, "out/gen/envy/test--bookworm/Dockerfile"), "utf8");
    expect(bookworm).not.toMatch(/base-env|SHELL/);
    // the base's environment recorded, and the test stage's shell set, before any RUN of it
    expect(trixie).toContain("FROM ${BASE_IMAGE} AS test-baseenv");
    const at = trixie.indexOf("FROM image AS test");
    expect(trixie[at + 1]).toBe('SHELL ["/bin/bash", "/dalec/lib/base-env.sh", "/bin/sh", "-c"]');
    // the dependency step and each test's stage read it (SHELL is inherited by FROM test)
    const runs = trixie.filter((l) => l.startsWith("RUN --mount=type=bind,source=test"));
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toContain("--mount=type=bind,from=test-baseenv,source=/base-env,target=/dalec/base-env");
      expect(run).toContain("--mount=type=bind,from=lib,source=base-env.sh,target=/dalec/lib/base-env.sh");
    }
    const hcl = readFileSync(join(dir, "out/docker-bake.hcl"), "utf8");
    const block = hcl.slice(hcl.indexOf('target "test--envy" {'), hcl.indexOf("\n}\n", hcl.indexOf('target "test--envy" {')));
    expect(block).toContain("BASE_IMAGE = base_image(v.distro)");
  });
});
