// An image base's rootfs command on the real engine (test/fixtures/image-base): its steps run
// on the base image in order, with the command's and each step's env and mounts (an inline
// file, an inline folder owned by a user, an image's folder, a filtered folder of the build
// context, laid out by the sources node), in the command's dir; the package
// is installed into the root they leave (a file they removed is gone), and the fixture's own
// tests check that root. The image's config is the base image's own: neither the command's dir
// nor its env.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("an image base's command", () => {
  it("installs the package into the root the command's steps leave", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-image-base-");
    cpSync(join(ROOT, "test/fixtures/image-base"), dir, { recursive: true });
    const out = join(dir, "out");
    const g = await runCli(["gen", "--config", "dalec-bake.yaml", "--out", out], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    const inspect = await execa("docker", ["image", "inspect", "dalec-bake/based:bookworm-amd64", "--format", "{{json .Config}}"]);
    const config = JSON.parse(inspect.stdout) as { WorkingDir?: string; Env?: string[] };
    // The base image's own config, from the engine's registry (the build pulled it into BuildKit only).
    await execa("docker", ["pull", "-q", "debian:bookworm"]);
    const base = JSON.parse((await execa("docker", ["image", "inspect", "debian:bookworm", "--format", "{{json .Config}}"])).stdout) as { WorkingDir?: string; Env?: string[] };
    // PATH aside, which the Dockerfile frontend sets when a base has none.
    const env = (c: { Env?: string[] }) => (c.Env ?? []).filter((e) => !e.startsWith("PATH="));
    expect([config.WorkingDir ?? "", env(config)]).toEqual([base.WorkingDir ?? "", env(base)]);
  });
});
