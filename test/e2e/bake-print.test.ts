// What we emit, evaluated by the real `docker buildx bake --print` (buildx 0.13).
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { z } from "zod";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const GOLDEN = join(ROOT, "test/golden/bake-print.json");

const printed = z.object({
  group: z.record(z.string(), z.object({ targets: z.array(z.string()) })),
  target: z.record(z.string(), z.object({ args: z.record(z.string(), z.string()).optional(), contexts: z.record(z.string(), z.string()).optional() }).passthrough()),
});

async function print(dir: string, targets: string[], env: Record<string, string> = {}) {
  const r = await execa("docker", ["buildx", "bake", "--print", ...targets], { cwd: dir, env: cleanEnv(env), extendEnv: false });
  return { text: r.stdout, json: printed.parse(JSON.parse(r.stdout)) };
}

describeEngine("docker buildx bake --print", () => {
  it("evaluates the example's tree to the golden JSON", async () => {
    requireEngine();
    const { text } = await print(join(ROOT, "bake"), ["default", "images", "system", "tests-smoke"]);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${text}\n`);
    expect(`${text}\n`).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("takes vectors from the environment: plural JSON arrays and singular values", async () => {
    const dir = join(ROOT, "bake");
    const all = await print(dir, ["tests"]);
    expect(Object.keys(all.json.target).filter((t) => t.startsWith("test--"))).toHaveLength(6);
    const plural = await print(dir, ["tests"], { distros: '["trixie"]' });
    expect(Object.keys(plural.json.target).filter((t) => t.startsWith("test--")).sort()).toEqual([
      "test--dalec-bake-hello--trixie--amd64--release",
      "test--dalec-bake-hello--trixie--arm64--release",
    ]);
    const single = await print(dir, ["packages"], { arch: "arm64", variant: "debug" });
    expect(Object.keys(single.json.target).filter((n) => n.startsWith("pkg--"))).toEqual(["pkg--dalec-bake-hello--bookworm--arm64--debug"]);
    const t = single.json.target["pkg--dalec-bake-hello--bookworm--arm64--debug"]!;
    expect(t.contexts?.build).toBe("target:build--dalec-bake-hello--bookworm--arm64--debug");
    expect(t.contexts?.system).toBe("target:system--bookworm--arm64");
  });

  it("generates a valid tree for Ubuntu jammy and noble", async () => {
    const work = tempDir();
    writeFileSync(join(work, "dalec-bake.yaml"), "specs: [hello.yml]\ndistros: [jammy, noble]\narches: [amd64, arm64]\n");
    writeFileSync(join(work, "hello.yml"), readFileSync(join(ROOT, "examples/hello/specs/hello.yml"), "utf8"));
    cpSync(join(ROOT, "examples/hello/src"), join(work, "src"), { recursive: true });
    expect((await runCli(["gen", "--out", "tree"], work)).code).toBe(0);
    const { json } = await print(join(work, "tree"), ["default", "system"]);
    expect(Object.keys(json.target).filter((n) => n.startsWith("system--")).sort()).toEqual([
      "system--jammy--amd64",
      "system--jammy--arm64",
      "system--noble--amd64",
      "system--noble--arm64",
    ]);
    expect(json.target["system--noble--arm64"]!.args?.BASE_IMAGE).toBe("ubuntu:noble");
    expect(readFileSync(join(work, "tree/gen/dalec-bake-hello/pkg--noble/control"), "utf8")).toContain("Version: 1.2.0-ubuntu24.04u1");
  });
});
