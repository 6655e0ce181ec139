// The bazel and rustsccache caches on the real engine (test/fixtures/bazel-cache). bazel: the
// build step reads Dalec's system bazelrc at /etc/bazel.bazelrc, its disk cache outlives a build
// and is shared by the builds of one distro and arch only; a forwarded socket
// (DALEC_BAKE_BAZEL_SOCKET) adds the remote cache lines. rustsccache: SCCACHE_DIR at its cache
// mount and RUSTC_WRAPPER at the binary, here a stand-in given with DALEC_BAKE_SCCACHE: Dalec's
// release download cannot be reached from this machine, and is checked by unit tests only.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

async function packaged(deb: string, path: string): Promise<string> {
  const r = await execa("sh", ["-c", `dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"`, "sh", deb, path]);
  return r.stdout;
}

const RC = "\nbuild --disk_cache=/tmp/dalec/bazel-local-cache\nfetch --disk_cache=/tmp/dalec/bazel-local-cache";
const REMOTE = "build --remote_cache=unix:/tmp/dalec/bazel-remote.sock\nfetch --remote_cache=unix:/tmp/dalec/bazel-remote.sock";

describeEngine("bazel and rustsccache caches", () => {
  it("share a cache per distro and arch, with Dalec's bazelrc and sccache environment", { timeout: 1_800_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-bazel-");
    cpSync(join(ROOT, "test/fixtures/bazel-cache"), dir, { recursive: true });
    // Markers of earlier runs stay in the cache mounts: this run's carry its nonce.
    const nonce = randomBytes(6).toString("hex");
    const g = await runCli(["gen", "-t", `nonce=${nonce}`, "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const standIn = join(dir, "sccache-bin");
    mkdirSync(standIn);
    writeFileSync(join(standIn, "sccache"), '#!/bin/sh\necho "stand-in sccache $*"\n');
    chmodSync(join(standIn, "sccache"), 0o755);
    const sock = join(dir, "bazel-remote.sock");
    const server = createServer((c) => c.end());
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    const bake = async (env: Record<string, string>) => {
      const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], {
        env: cleanEnv({ DALEC_BAKE_SCCACHE: standIn, ...env }),
        extendEnv: false,
        reject: false,
        all: true,
      });
      expect(r.exitCode, r.all?.slice(-4000)).toBe(0);
    };
    try {
      await bake({ run: "one" });
      // The second run, with the socket forwarded: bookworm amd64 only.
      await bake({ run: "two", distro: "bookworm", arch: "amd64", DALEC_BAKE_BAZEL_SOCKET: sock });
    } finally {
      server.close();
    }
    const deb = (pkg: string, distro: string, arch: string, run: string) =>
      join(dir, "out", "out", `pkg--${pkg}--${distro}--${arch}--${run}`, `${pkg}_1.0-debian${distro === "bookworm" ? 12 : 13}u1_${arch}.deb`);
    const seen = async (pkg: string, distro: string, arch: string, run: string) =>
      (await packaged(deb(pkg, distro, arch, run), `./usr/share/${pkg}/seen.txt`))
        .split("\n")
        .filter((m) => m.includes(nonce))
        .sort();

    expect(await packaged(deb("bazelcached", "bookworm", "amd64", "one"), "./usr/share/bazelcached/bazelrc")).toBe(RC);
    expect(await packaged(deb("bazelcached", "bookworm", "amd64", "two"), "./usr/share/bazelcached/bazelrc")).toBe(`${RC}\n${REMOTE}`);
    for (const pkg of ["bazelcached", "sccached"]) {
      // The second build of bookworm amd64 sees what the first left; trixie and arm64 have caches of their own.
      expect(await seen(pkg, "bookworm", "amd64", "two")).toEqual([`one-${nonce}-bookworm-x86_64`, `two-${nonce}-bookworm-x86_64`]);
      expect(await seen(pkg, "trixie", "amd64", "one")).toEqual([`one-${nonce}-trixie-x86_64`]);
      expect(await seen(pkg, "bookworm", "arm64", "one")).toEqual([`one-${nonce}-bookworm-aarch64`]);
    }
    expect(await packaged(deb("sccached", "bookworm", "amd64", "one"), "./usr/share/sccached/wrapper.txt")).toBe(
      "/tmp/internal/dalec/sccache/sccache\nstand-in sccache --version",
    );
  });
});
