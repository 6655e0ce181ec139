// What we emit, evaluated by the real `docker buildx bake --print` (buildx 0.13).
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { z } from "zod";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { loadTree } from "../../src/cli/gen.js";
import { closure, expandGraph, selectNodes } from "../../src/graph/expand.js";

/** Keys sorted, so that two evaluations compare by content. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

/** What dalec-bake's own evaluation says bake --print shows; bake drops the outputs of targets
 * that are only pulled in as parents. */
async function expanded(dir: string, config: string, out: string, targets: string[], env: Record<string, string>) {
  const tree = await loadTree({ cwd: dir, arch: "x64", config, specs: [], out, vars: {} });
  const graph = expandGraph(tree.matrix, tree.blocks, { env, localPlatform: "linux/amd64" });
  const asked = new Set(selectNodes(graph, targets));
  return Object.fromEntries(
    closure(graph, [...asked]).map((n) => {
      const t = { ...graph.nodes.get(n)!.target };
      if (!asked.has(n)) delete t.output;
      return [n, canonical(t)];
    }),
  );
}

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
    expect(t.contexts?.deps).toBe("target:deps--dalec-bake-hello--bookworm--arm64");
  });

  it("agrees with dalec-bake's own evaluation of the tree for any choice of vectors", async () => {
    const cases: [string[], Record<string, string>][] = [
      [["default", "images", "system", "tests-smoke"], {}],
      [["tests"], { distros: '["trixie"]' }],
      [["packages", "tests-smoke"], { arch: "arm64", variant: "debug" }],
      [["image--dalec-bake-hello"], { variants: '["debug"]', DALEC_BAKE_IMAGE_PREFIX: "127.0.0.1:5000/x/", DALEC_BAKE_OUT: "/tmp/o" }],
    ];
    for (const [targets, env] of cases) {
      const { json } = await print(join(ROOT, "bake"), targets, env);
      const theirs = Object.fromEntries(Object.entries(json.target).map(([k, t]) => [k, canonical(t)]));
      expect(await expanded(join(ROOT, "examples/hello"), "dalec-bake.yaml", "../../bake", targets, env), JSON.stringify({ targets, env })).toEqual(theirs);
    }
  });

  it("gives every target its own registry cache tag when the matrix file names one", async () => {
    const work = tempDir();
    cpSync(join(ROOT, "examples/hello"), work, { recursive: true });
    writeFileSync(join(work, "dalec-bake.yaml"), `${readFileSync(join(work, "dalec-bake.yaml"), "utf8")}cache: { registry: 127.0.0.1:5000/hello-cache }\n`);
    expect((await runCli(["gen", "--out", "tree"], work)).code).toBe(0);
    const { json } = await print(join(work, "tree"), ["default"]);
    const t = json.target["build--dalec-bake-hello--trixie--arm64--release"] as Record<string, unknown>;
    expect(t["cache-from"]).toEqual(["type=registry,ref=127.0.0.1:5000/hello-cache:build--dalec-bake-hello--trixie--arm64--release"]);
    expect(t["cache-to"]).toEqual(["type=registry,ref=127.0.0.1:5000/hello-cache:build--dalec-bake-hello--trixie--arm64--release,mode=max"]);
    const refs = Object.values(json.target).map((x) => (x as Record<string, string[]>)["cache-to"]?.[0]);
    expect(new Set(refs).size).toBe(refs.length);
    const theirs = Object.fromEntries(Object.entries(json.target).map(([k, x]) => [k, canonical(x)]));
    expect(await expanded(work, "dalec-bake.yaml", "tree", ["default"], {})).toEqual(theirs);
  });

  it("generates a valid tree for Debian bullseye and Ubuntu focal, jammy, noble and resolute", async () => {
    const work = tempDir();
    const distros = ["bullseye", "focal", "jammy", "noble", "resolute"];
    writeFileSync(join(work, "dalec-bake.yaml"), `specs: [hello.yml]\ndistros: [${distros.join(", ")}]\narches: [amd64, arm64]\n`);
    writeFileSync(join(work, "hello.yml"), readFileSync(join(ROOT, "examples/hello/specs/hello.yml"), "utf8"));
    cpSync(join(ROOT, "examples/hello/src"), join(work, "src"), { recursive: true });
    expect((await runCli(["gen", "--out", "tree"], work)).code).toBe(0);
    const { json } = await print(join(work, "tree"), ["default", "system"]);
    expect(Object.keys(json.target).filter((n) => n.startsWith("system--")).sort()).toEqual(distros.flatMap((d) => [`system--${d}--amd64`, `system--${d}--arm64`]));
    expect(json.target["system--noble--arm64"]!.args?.BASE_IMAGE).toBe("ubuntu:noble");
    expect(json.target["system--bullseye--amd64"]!.args?.BASE_IMAGE).toBe("debian:bullseye");
    expect(readFileSync(join(work, "tree/gen/dalec-bake-hello/pkg--resolute/control"), "utf8")).toContain("Version: 1.2.0-ubuntu26.04u1");
    expect(readFileSync(join(work, "tree/gen/dalec-bake-hello/pkg--focal/control"), "utf8")).toContain("Version: 1.2.0-ubuntu20.04u1");
    expect(readFileSync(join(work, "tree/gen/dalec-bake-hello/pkg--noble/control"), "utf8")).toContain("Version: 1.2.0-ubuntu24.04u1");
  });

  it("names a build source's nested build and prefetch node validly, whatever the source's name", async () => {
    const work = tempDir();
    const source = (ref: string) => `    build:\n      source:\n        image: { ref: "${ref}" }\n        path: /etc\n`;
    writeFileSync(join(work, "odd.yml"), `name: odd\nversion: "1.0"\nsources:\n  "my src.x":\n${source("debian:bookworm")}  "my src x":\n${source("debian:trixie")}`);
    expect((await runCli(["gen", "odd.yml", "--out", "tree"], work)).code).toBe(0);
    const { json } = await print(join(work, "tree"), ["packages"]);
    const nested = Object.keys(json.target).filter((n) => n.startsWith("nested--odd--"));
    // Two names that differ only where bake takes no character: two targets all the same.
    expect(nested).toHaveLength(2);
    for (const n of nested) expect(json.target[n]!.context).toMatch(/\/prefetch\/odd--my_src_x-[0-9a-f]{8}$/);
  });
});
