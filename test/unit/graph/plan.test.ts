// The graph dalec-bake evaluates itself, and the plan it makes of it: checked on the example and,
// for the chunking invariants, on arbitrary chunk sizes and vector choices.
import fc from "fast-check";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTree } from "../../../src/cli/gen.js";
import type { LoadedTree } from "../../../src/cli/gen.js";
import { expandGraph } from "../../../src/graph/expand.js";
import { plan } from "../../../src/graph/plan.js";
import { matrixEntries, shardedPlan } from "../../../src/report/gh-matrix.js";
import { ROOT } from "../../helpers/cli.js";

let tree: LoadedTree;
beforeAll(async () => {
  tree = await loadTree({ cwd: join(ROOT, "examples/hello"), arch: "x64", config: undefined, specs: [], out: "../../bake", vars: {} });
});
const graphOf = (env: Record<string, string> = {}) => expandGraph(tree.matrix, tree.blocks, { env, localPlatform: "linux/amd64" });

describe("expandGraph", () => {
  it("has one node per distinct piece of work, parents named from the child's coordinates", () => {
    const g = graphOf();
    const stages = [...g.nodes.values()].map((n) => n.stage);
    const count = (s: string) => stages.filter((x) => x === s).length;
    expect([count("system"), count("sources"), count("deps"), count("build"), count("pkg"), count("image"), count("test")]).toEqual([4, 1, 4, 6, 6, 6, 6]);
    expect(g.nodes.get("pkg--dalec-bake-hello--trixie--arm64--release")!.parents).toEqual([
      "deps--dalec-bake-hello--trixie--arm64",
      "build--dalec-bake-hello--trixie--arm64--release",
    ]);
    expect(g.nodes.has("build--dalec-bake-hello--trixie--amd64--debug")).toBe(false);
  });

  it("takes vectors from the same variables as the bake file: singular over plural", () => {
    expect([...graphOf({ distros: '["trixie"]' }).nodes.keys()].filter((n) => n.startsWith("test--"))).toEqual([
      "test--dalec-bake-hello--trixie--amd64--release",
      "test--dalec-bake-hello--trixie--arm64--release",
    ]);
    expect([...graphOf({ distros: '["trixie"]', distro: "bookworm", arch: "arm64" }).nodes.keys()].filter((n) => n.startsWith("system--"))).toEqual(["system--bookworm--arm64"]);
  });

  it("says which value is not in the matrix, and what is", () => {
    expect(() => graphOf({ distro: "sid" })).toThrow('distro: "sid" is not a distro of the matrix (expected one of: bookworm, trixie)');
    expect(() => graphOf({ arches: "amd64" })).toThrow('arches: expected a JSON array of arch values, found "amd64"');
  });
});

describe("plan", () => {
  it("counts the leaves that share each node and builds a small tree in one invocation", () => {
    const p = plan(graphOf(), [], 100);
    expect(p.requested).toEqual(["default"]);
    expect(p.chunks).toHaveLength(1);
    const leaves = Object.fromEntries(p.nodes.map((n) => [n.name, n.leaves]));
    expect(leaves["sources--dalec-bake-hello"]).toBe(6);
    expect(leaves["system--bookworm--amd64"]).toBe(2);
    expect(leaves["system--trixie--amd64"]).toBe(1);
    expect(leaves["test--dalec-bake-hello--bookworm--amd64--debug"]).toBe(1);
  });

  it("keeps a tree up to the whole-tree limit in one invocation, and chunks a larger one", () => {
    expect(plan(graphOf(), [], 8, { whole: 33 }).chunks).toHaveLength(1);
    expect(plan(graphOf(), [], 8, { whole: 32 }).chunks.length).toBeGreaterThan(1);
  });

  it("needs only the requested targets' ancestors", () => {
    const p = plan(graphOf(), ["tests-smoke"], 100);
    expect(p.nodes.map((n) => n.name)).toEqual([
      "system--bookworm--amd64",
      "sources--dalec-bake-hello",
      "deps--dalec-bake-hello--bookworm--amd64",
      "build--dalec-bake-hello--bookworm--amd64--release",
      "pkg--dalec-bake-hello--bookworm--amd64--release",
      "image--dalec-bake-hello--bookworm--amd64--release",
      "test--dalec-bake-hello--bookworm--amd64--release",
    ]);
    expect(p.nodes.filter((n) => n.requested).map((n) => n.name)).toEqual(["test--dalec-bake-hello--bookworm--amd64--release"]);
  });

  it("rejects an unknown target and a chunk too small for one leaf", () => {
    expect(() => plan(graphOf(), ["nope"], 100)).toThrow(/unknown target "nope"/);
    expect(() => plan(graphOf(), [], 2)).toThrow("--chunk: expected a whole number of at least 3");
  });

  it("splits into chunks that respect the size, keep each leaf's build, pkg and image together and only read earlier chunks", () => {
    const distros = fc.subarray(["bookworm", "trixie"], { minLength: 1 });
    const arches = fc.subarray(["amd64", "arm64"], { minLength: 1 });
    const targets = fc.subarray(["default", "images", "system", "tests-smoke", "packages"], { minLength: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 40 }), distros, arches, targets, (size, d, a, t) => {
        const g = graphOf({ distros: JSON.stringify(d), arches: JSON.stringify(a) });
        const p = plan(g, t, size);
        const chunkOf = new Map(p.nodes.map((n) => [n.name, n.chunk]));
        expect(p.chunks.flatMap((c) => c.targets).sort()).toEqual(p.nodes.map((n) => n.name).sort());
        for (const c of p.chunks) {
          expect(c.targets.length).toBeLessThanOrEqual(size);
          for (const i of c.inputs) expect(p.chunks[chunkOf.get(i)!]!.level).toBeLessThan(c.level);
          for (const n of c.targets) for (const parent of g.nodes.get(n)!.parents) if (chunkOf.get(parent) !== c.index) expect(c.inputs).toContain(parent);
        }
        for (const n of p.nodes) {
          if (n.stage === "pkg" || n.stage === "image") {
            const build = n.name.replace(/^[a-z]+--/, "build--");
            if (chunkOf.has(build)) expect(chunkOf.get(build)).toBe(n.chunk);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("a prefetch node (a build source's context bake cannot take as it is, read as a folder)", () => {
  let g: ReturnType<typeof expandGraph>;
  let t: LoadedTree;
  beforeAll(async () => {
    t = await loadTree({ cwd: join(ROOT, "test/fixtures/build-sources"), arch: "x64", config: undefined, specs: [], out: "out", vars: {} });
    g = expandGraph(t.matrix, t.blocks, { env: {}, localPlatform: "linux/amd64" });
  });
  const prefetch = "prefetch--build-sources--fromimage";
  const nested = "nested--build-sources--fromimage";

  it("is a parent of its nested build, and in the prefetch group", () => {
    expect(g.nodes.get(nested)!.parents).toEqual([prefetch]);
    expect(g.groups.get("prefetch")).toEqual([...g.nodes.values()].filter((n) => n.stage === "prefetch").map((n) => n.name));
    expect(g.groups.get("prefetch")).toContain(prefetch);
  });

  it("of an image's command: runs its steps with their mounts, and filters what they leave", () => {
    const block = t.blocks.find((b) => b.label === "prefetch--build-sources--cmdfiltered")!;
    // The build context the command mounts, and lib/ for the filter (and what other commands
    // of the spec mount); no target: context.
    expect(block.contexts.map(([name]) => name)).toEqual(expect.arrayContaining(["context", "lib"]));
    expect(block.contexts.filter(([, text]) => String(text[0]).startsWith("target:"))).toEqual([]);
    expect(g.nodes.get("prefetch--build-sources--cmdfiltered")!.parents).toEqual([]);
    expect(g.nodes.get("nested--build-sources--cmdfiltered")!.parents).toEqual(["prefetch--build-sources--cmdfiltered"]);
    const dockerfile = t.files.get("gen/build-sources/fetch/prefetch-cmdfiltered/Dockerfile")!;
    const order = ["FROM scratch AS prefetch-m1", "FROM debian:bookworm AS prefetch-image", "from=prefetch-m1,source=/file,target=/note", "FROM debian:bookworm AS filter", "from=prefetch-image,source=/made,target=/dalec/in"];
    expect(order.map((l) => dockerfile.indexOf(l))).toEqual(order.map((l) => dockerfile.indexOf(l)).sort((a, b) => a - b));
    expect(order.every((l) => dockerfile.includes(l))).toBe(true);
    expect(t.files.get("gen/build-sources/fetch/prefetch-cmdfiltered/image-step1.sh")).toContain("export LINE='made by a command'");
    expect(t.files.get("gen/build-sources/fetch/prefetch-cmdfiltered/mounts/1")).toBe("with an inline mount");
  });

  it("is built by an invocation before its child's, even when the tree fits in one", () => {
    const p = plan(g, ["packages"], 100);
    expect(p.chunks.map((c) => c.targets.includes(prefetch))).toEqual([true, false]);
    expect(p.chunks[0]!.targets).toEqual(g.groups.get("prefetch"));
    expect(p.chunks[1]!.targets).toContain(nested);
    for (const size of [3, 5, 8]) {
      const chunked = plan(g, ["packages"], size);
      const chunkOf = new Map(chunked.nodes.map((n) => [n.name, n.chunk]));
      expect(chunked.chunks[chunkOf.get(prefetch)!]!.level).toBeLessThan(chunked.chunks[chunkOf.get(nested)!]!.level);
    }
  });

  it("is no CI job of its own: the job of its child builds it", () => {
    const opts = { runners: { amd64: "ubuntu-latest" }, invoke: "npx dalec-bake", passArgs: "", chunk: 50 };
    const p = shardedPlan(g, ["packages"], opts, ["amd64"]);
    const jobs = matrixEntries(g, p, opts, ["amd64"], undefined);
    expect(jobs.flatMap((j) => j.targets.split(" "))).not.toContain(prefetch);
    expect(jobs.flatMap((j) => j.targets.split(" "))).toContain(nested);
  });

  it("goes with its child into a CI job's share (--only): no registry hands a folder over", () => {
    const p = plan(g, [nested], 100, { only: true });
    expect(p.nodes.map((n) => n.name)).toEqual([prefetch, nested]);
    expect(p.chunks.map((c) => c.targets)).toEqual([[prefetch], [nested]]);
  });
});
