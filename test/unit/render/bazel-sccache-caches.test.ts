// The bazel and rustsccache caches as Dalec sets them up (cache.go): ids namespaced per distro
// and platform, the system bazelrc and its optional remote socket, sccache's pinned release for
// the arch with its digest, and the bake variables that forward a socket or supply sccache.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTree } from "../../../src/cli/gen.js";
import { DISTROS } from "../../../src/distros.js";
import { expandGraph } from "../../../src/graph/expand.js";
import { renderBuildDockerfile } from "../../../src/render/build-dockerfile.js";
import { renderBuildScript } from "../../../src/render/build-script.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";
import { ROOT } from "../../helpers/cli.js";

const SPEC = `
name: demo
version: 1.0
build:
  caches:
    - bazel: { scope: s1 }
    - rustsccache: {}
  steps:
    - command: make
`;
const LIBRARY = `FROM deps AS work
WORKDIR /dalec/work

FROM work AS build-none
RUN --network=none \\
    --mount=type=bind,source=build.sh,target=/dalec/build.sh \\
    bash /dalec/build.sh
`;
const resolved = (distro: string, arch: string) => resolveSpec(parseSpec(SPEC, "demo.yml"), { distro: DISTROS[distro]!, arch, args: {} });
const AMD = "1fbb35e135660d04a2d5e42b59c7874d39b3deb17de56330b25b713ec59f849b";
const ARM = "d6a1ce4acd02b937cd61bc675a8be029a60f7bc167594c33d75732bbc0a07400";

describe("bazel and rustsccache caches", () => {
  it("mount caches with Dalec's ids, namespaced by distro and platform, scope last", () => {
    expect(resolved("bookworm", "amd64").caches).toEqual([
      { id: "debian12-linux/amd64-dalec-bazelcache-s1", target: "/tmp/dalec/bazel-local-cache", sharing: "shared" },
      { id: "debian12-linux/amd64-dalec-rustsccache", target: "/tmp/dalec/sccache-cache", sharing: "shared" },
    ]);
    expect(resolved("trixie", "arm64").caches.map((c) => c.id)).toEqual(["debian13-linux/arm64-dalec-bazelcache-s1", "debian13-linux/arm64-dalec-rustsccache"]);
  });

  it("download Dalec's sccache release for the arch, its digest checked, in a stage before the build", () => {
    const df = renderBuildDockerfile(LIBRARY, resolved("trixie", "arm64"));
    expect(df).toContain(
      `ADD --checksum=sha256:${ARM} https://github.com/mozilla/sccache/releases/download/v0.10.0/sccache-v0.10.0-aarch64-unknown-linux-musl.tar.gz /tmp/internal/dalec/sccache-download/sccache.tar.gz`,
    );
    expect(renderBuildDockerfile(LIBRARY, resolved("bookworm", "amd64"))).toContain(
      `ADD --checksum=sha256:${AMD} https://github.com/mozilla/sccache/releases/download/v0.10.0/sccache-v0.10.0-x86_64-unknown-linux-musl.tar.gz `,
    );
    // The stages the build step mounts from come before it; the binary is /sccache of build-sccache.
    expect(df.indexOf("FROM scratch AS build-sccache\nCOPY --from=build-sccachedl /output/sccache /sccache")).toBeGreaterThan(-1);
    expect(df.indexOf("AS build-sccache\n")).toBeLessThan(df.indexOf("FROM work AS build-none"));
    const step = df.slice(df.indexOf("FROM work AS build-none"));
    expect(step).toContain(
      [
        "    --mount=type=bind,source=build.sh,target=/dalec/build.sh \\",
        '    --mount=type=cache,id=debian13-linux/arm64-dalec-bazelcache-s1,target=/tmp/dalec/bazel-local-cache,sharing=shared \\',
        "    --mount=type=cache,id=debian13-linux/arm64-dalec-rustsccache,target=/tmp/dalec/sccache-cache,sharing=shared \\",
        "    --mount=type=bind,source=bazelrc,target=/etc/bazel.bazelrc,rw \\",
        "    --mount=type=ssh,id=bazel-default,target=/tmp/dalec/bazel-remote.sock,required=false \\",
        "    --mount=type=bind,from=build-sccache,source=sccache,target=/tmp/internal/dalec/sccache/sccache \\",
      ].join("\n"),
    );
  });

  it("set SCCACHE_DIR and RUSTC_WRAPPER, and add bazel's remote cache only when the socket is there", () => {
    const r = resolved("bookworm", "amd64");
    expect(r.bazel?.rc).toBe("\nbuild --disk_cache=/tmp/dalec/bazel-local-cache\nfetch --disk_cache=/tmp/dalec/bazel-local-cache\n");
    const script = renderBuildScript(r, "/lib/systemd/system");
    expect(script).toContain("export SCCACHE_DIR=/tmp/dalec/sccache-cache\nexport RUSTC_WRAPPER=/tmp/internal/dalec/sccache/sccache\n");
    expect(script).toContain(
      "if [ -S /tmp/dalec/bazel-remote.sock ]; then\n  printf '%s\\n' 'build --remote_cache=unix:/tmp/dalec/bazel-remote.sock' 'fetch --remote_cache=unix:/tmp/dalec/bazel-remote.sock' >> /etc/bazel.bazelrc\nfi\n",
    );
    expect(script.indexOf("RUSTC_WRAPPER")).toBeLessThan(script.indexOf("# step 1"));
  });

  it("forward the bazel socket and supply sccache only when their bake variables are set", async () => {
    const tree = await loadTree({ cwd: join(ROOT, "test/fixtures/bazel-cache"), arch: "x64", config: undefined, specs: [], out: "out", vars: { nonce: "n" } });
    const hcl = tree.files.get("docker-bake.hcl")!;
    expect(hcl).toContain('ssh        = DALEC_BAKE_BAZEL_SOCKET != "" ? ["bazel-default=${DALEC_BAKE_BAZEL_SOCKET}"] : []');
    expect(hcl).toContain('}, DALEC_BAKE_SCCACHE != "" ? { build-sccache = DALEC_BAKE_SCCACHE } : {})');
    expect(tree.files.get("gen/bazelcached/build--bookworm--amd64--one/bazelrc")).toBe(resolved("bookworm", "amd64").bazel!.rc);
    const build = (env: Record<string, string>, name: string) => expandGraph(tree.matrix, tree.blocks, { env, localPlatform: "linux/amd64" }).nodes.get(name)!.target;
    expect(build({}, "build--bazelcached--bookworm--amd64--one").ssh).toBeUndefined();
    expect(build({ DALEC_BAKE_BAZEL_SOCKET: "/run/b.sock" }, "build--bazelcached--bookworm--amd64--one").ssh).toEqual(["bazel-default=/run/b.sock"]);
    expect(build({}, "build--sccached--bookworm--amd64--one").contexts?.["build-sccache"]).toBeUndefined();
    expect(build({ DALEC_BAKE_SCCACHE: "/opt/sccache" }, "build--sccached--bookworm--amd64--one").contexts?.["build-sccache"]).toBe("/opt/sccache");
    // Neither variable reaches a spec without such a cache.
    expect(build({ DALEC_BAKE_SCCACHE: "/opt/sccache" }, "build--bazelcached--bookworm--amd64--one").contexts?.["build-sccache"]).toBeUndefined();
  });
});
