// The bake file of one chunk: parents from earlier chunks come in as hand-offs, nodes later
// chunks read leave one behind, and targets never share a cache scope.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTree } from "../../../src/cli/gen.js";
import { expandGraph } from "../../../src/graph/expand.js";
import type { BakeTarget, Graph } from "../../../src/graph/expand.js";
import { plan } from "../../../src/graph/plan.js";
import { ChunkRenderer, tagOf } from "../../../src/run/chunk-file.js";
import { ProgressReader } from "../../../src/run/progress.js";
import { ROOT } from "../../helpers/cli.js";

let graph: Graph;
beforeAll(async () => {
  const tree = await loadTree({ cwd: join(ROOT, "examples/hello"), arch: "x64", config: undefined, specs: [], out: "../../bake", vars: {} });
  graph = expandGraph(tree.matrix, tree.blocks, { env: {}, localPlatform: "linux/amd64" });
});

const targetsOf = (json: string) => (JSON.parse(json) as { target: Record<string, BakeTarget> }).target;

describe("ChunkRenderer", () => {
  it("on one machine hands root filesystems and owned files on as local images, built files as folders", () => {
    const p = plan(graph, ["tests-smoke"], 3);
    const r = new ChunkRenderer(graph, p, { kind: "local", dir: "/h" });
    const first = targetsOf(r.render(p.chunks[0]!, p.chunks[0]!.targets).json);
    expect(first["system--bookworm--amd64"]!.output).toEqual(["type=image,name=dalec-bake-node:system--bookworm--amd64"]);
    expect(first["sources--dalec-bake-hello"]!.output).toEqual(["type=image,name=dalec-bake-node:sources--dalec-bake-hello"]);
    // no target carries an attestation, so that exporting one again gives the same digest
    expect(first["system--bookworm--amd64"]!.attest).toEqual(["type=provenance,disabled=true"]);
    expect(first["sources--dalec-bake-hello"]!.attest).toEqual(["type=provenance,disabled=true"]);
    const buildChunk = p.chunks.find((c) => c.targets.includes("build--dalec-bake-hello--bookworm--amd64--release"))!;
    const build = targetsOf(r.render(buildChunk, buildChunk.targets).json)["build--dalec-bake-hello--bookworm--amd64--release"]!;
    expect(build.contexts).toEqual({
      deps: "docker-image://dalec-bake-node:deps--dalec-bake-hello--bookworm--amd64",
      sources: "docker-image://dalec-bake-node:sources--dalec-bake-hello",
      lib: "dockerfiles/lib",
    });
    // a build's files reach a pkg of another invocation as a folder
    const only = plan(graph, ["pkg--dalec-bake-hello--bookworm--amd64--release"], 3, { only: true });
    const pkgAlone = targetsOf(new ChunkRenderer(graph, only, { kind: "local", dir: "/h" }).render(only.chunks[0]!, only.chunks[0]!.targets).json);
    expect(pkgAlone["pkg--dalec-bake-hello--bookworm--amd64--release"]!.contexts?.build).toBe("/h/build--dalec-bake-hello--bookworm--amd64--release");
    // the pkg in the same chunk stays a target: link; the test in a later chunk reads the image's tag
    const pkg = targetsOf(r.render(buildChunk, buildChunk.targets).json)["pkg--dalec-bake-hello--bookworm--amd64--release"]!;
    expect(pkg.contexts?.build).toBe("target:build--dalec-bake-hello--bookworm--amd64--release");
    const image = targetsOf(r.render(buildChunk, buildChunk.targets).json)["image--dalec-bake-hello--bookworm--amd64--release"]!;
    expect(image.attest).toEqual(["type=provenance,disabled=true"]);
    const testChunk = p.chunks.at(-1)!;
    expect(targetsOf(r.render(testChunk, testChunk.targets).json)["test--dalec-bake-hello--bookworm--amd64--release"]!.contexts?.image).toBe(
      "docker-image://dalec-bake/dalec-bake-hello:bookworm-amd64-release",
    );
  });

  it("on one machine copies an owned files node for each other platform a later chunk reads it on", () => {
    const p = plan(graph, ["build--dalec-bake-hello--bookworm--arm64--debug", "build--dalec-bake-hello--bookworm--amd64--debug"], 3);
    const r = new ChunkRenderer(graph, p, { kind: "local", dir: "/h" });
    const chunk = p.chunks.find((c) => c.targets.includes("sources--dalec-bake-hello"))!;
    const file = r.render(chunk, chunk.targets);
    const copy = "sources--dalec-bake-hello--for--linux-arm64";
    expect(file.targets).toEqual([...chunk.targets, copy]);
    // no copy for the node's own platform, one for arm64, linked to the node itself
    expect(file.targets.filter((t) => t.includes("--for--"))).toEqual([copy]);
    const t = targetsOf(file.json)[copy]!;
    expect(t.contexts).toEqual({ node: "target:sources--dalec-bake-hello" });
    expect(t.platforms).toEqual(["linux/arm64"]);
    expect(t.output).toEqual([`type=image,name=dalec-bake-node:${copy}`]);
    expect(r.nodeOf(copy)).toBe("sources--dalec-bake-hello");
    expect(r.nodeOf("sources--dalec-bake-hello")).toBe("sources--dalec-bake-hello");
    // the node's steps reported under the copy's label, and the copy itself, are the node's work
    const reader = new ProgressReader(new Set(file.targets), undefined, (label, stage) => r.ownerOf(label, stage));
    const steps = [`[${copy} sources 2/3] RUN bash /dalec/gen/sources.sh`, `[${copy} tools 1/1] RUN apt-get update`, `[${copy} 1/1] COPY --from=node / /`];
    steps.forEach((name, i) => {
      for (const l of JSON.stringify({ vertexes: [{ digest: `sha256:${i}`, name, started: "t", completed: "t" }] }, null, 2).split("\n")) reader.line(l);
    });
    expect([...reader.steps.values()].map((s) => s.target)).toEqual(Array(3).fill("sources--dalec-bake-hello"));
    // the library Dockerfiles' inner stages are their node's: tools of sources, work of build
    expect(r.ownerOf("build--dalec-bake-hello--bookworm--amd64--debug", "tools")).toBe("sources--dalec-bake-hello");
    expect(r.ownerOf("pkg--dalec-bake-hello--bookworm--amd64--debug", "work")).toBe("build--dalec-bake-hello--bookworm--amd64--debug");
    expect(r.ownerOf("pkg--dalec-bake-hello--bookworm--amd64--debug", undefined)).toBe("pkg--dalec-bake-hello--bookworm--amd64--debug");
    const read = (name: string) => {
      const c = p.chunks.find((x) => x.targets.includes(name))!;
      return targetsOf(r.render(c, c.targets).json)[name]!.contexts?.sources;
    };
    expect(read("build--dalec-bake-hello--bookworm--arm64--debug")).toBe(`docker-image://dalec-bake-node:${copy}`);
    expect(read("build--dalec-bake-hello--bookworm--amd64--debug")).toBe("docker-image://dalec-bake-node:sources--dalec-bake-hello");
  });

  it("across machines pushes every node with children to the registry, tagged per run, and reads parents from it", () => {
    const p = plan(graph, ["build--dalec-bake-hello--bookworm--arm64--debug"], 100, { only: true });
    const r = new ChunkRenderer(graph, p, { kind: "registry", repository: "127.0.0.1:5000/x", run: "42", digests: new Map() }, { ghaCache: true });
    const t = targetsOf(r.render(p.chunks[0]!, p.chunks[0]!.targets).json)["build--dalec-bake-hello--bookworm--arm64--debug"]!;
    expect(t.contexts?.deps).toBe("docker-image://127.0.0.1:5000/x/node:deps--dalec-bake-hello--bookworm--arm64--run-42");
    expect(t.output).toEqual(["type=image,name=127.0.0.1:5000/x/node:build--dalec-bake-hello--bookworm--arm64--debug--run-42,push=true"]);
    expect(t.attest).toEqual(["type=provenance,disabled=true"]);
    expect(t["cache-to"]).toEqual(["type=gha,scope=build--dalec-bake-hello--bookworm--arm64--debug,mode=max"]);
  });

  it("across machines reads a parent by the digest it was pushed as, when that is known", () => {
    const p = plan(graph, ["test--dalec-bake-hello--bookworm--arm64--debug", "build--dalec-bake-hello--bookworm--arm64--debug"], 100, { only: true });
    const deps = `127.0.0.1:5000/x/node@sha256:${"a".repeat(64)}`;
    const image = `127.0.0.1:5000/x/dalec-bake-hello@sha256:${"b".repeat(64)}`;
    const digests = new Map([
      ["deps--dalec-bake-hello--bookworm--arm64", deps],
      ["image--dalec-bake-hello--bookworm--arm64--debug", image],
    ]);
    const r = new ChunkRenderer(graph, p, { kind: "registry", repository: "127.0.0.1:5000/x", run: "42", digests });
    const targets = targetsOf(r.render(p.chunks[0]!, p.chunks[0]!.targets).json);
    expect(targets["build--dalec-bake-hello--bookworm--arm64--debug"]!.contexts?.deps).toBe(`docker-image://${deps}`);
    expect(targets["test--dalec-bake-hello--bookworm--arm64--debug"]!.contexts?.image).toBe(`docker-image://${image}`);
    // what is not known yet still goes by its run's tag
    expect(targets["build--dalec-bake-hello--bookworm--arm64--debug"]!.contexts?.sources).toBe("docker-image://127.0.0.1:5000/x/node:sources--dalec-bake-hello--run-42");
  });

  it("makes a valid tag of any name", () => {
    expect(tagOf("a/b:c")).toBe("a_b_c");
    const long = tagOf("x".repeat(300));
    expect(long).toHaveLength(128);
    expect(tagOf("x".repeat(300))).toBe(long);
    expect(tagOf(`${"x".repeat(299)}y`)).not.toBe(long);
  });
});
