// The build node's Dockerfile for a spec with cache mounts: the library's Dockerfile.build with
// the mounts added to its build step. Mount flags take no build args, so they are written in.
// A rustsccache cache also adds the stages that make the sccache binary; a bazel cache mounts the
// folder's bazelrc and the optional remote cache socket.
import type { ResolvedSpec } from "../spec/model.js";
import { STAMP } from "./shell.js";

const ANCHOR = "--mount=type=bind,source=build.sh,target=/dalec/build.sh";
/** The first build stage: stages the build step mounts from go before it. */
const STAGES_ANCHOR = /^FROM work AS build-/;

/** The named context (and stage) whose `sccache` file the build step runs as RUSTC_WRAPPER. */
export const SCCACHE_STAGE = "build-sccache";
/** The folder file mounted as the system bazelrc. */
export const BAZELRC_FILE = "bazelrc";

/** A --mount field, CSV-quoted when its value could be read as more than one field. */
function field(k: string, v: string): string {
  const f = `${k}=${v}`;
  return /[,"\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

export function renderBuildDockerfile(library: string, spec: Pick<ResolvedSpec, "caches" | "sccache" | "bazel">): string {
  const mounts = spec.caches.map((c) => ["type=cache", field("id", c.id), field("target", c.target), field("sharing", c.sharing)].join(","));
  if (spec.bazel) {
    // Writable: build.sh adds the remote cache lines when the socket is there; BuildKit drops the write.
    mounts.push(`type=bind,source=${BAZELRC_FILE},target=/etc/bazel.bazelrc,rw`);
    mounts.push(`type=ssh,id=${spec.bazel.sshId},target=${spec.bazel.socket},required=false`);
  }
  if (spec.sccache) mounts.push(`type=bind,from=${SCCACHE_STAGE},source=sccache,target=${spec.sccache.binary}`);
  const out: string[] = [`# ${STAMP}`, "# The library's Dockerfile.build, with the spec's build.caches as mounts of its build step."];
  let staged = false;
  for (const line of library.split("\n")) {
    if (!staged && STAGES_ANCHOR.test(line)) {
      if (spec.sccache) out.push(...sccacheStages(spec.sccache.url, spec.sccache.sha256));
      staged = true;
    }
    out.push(line);
    if (line.includes(ANCHOR)) out.push(...mounts.map((m) => `    --mount=${m} \\`));
  }
  if (!library.includes(ANCHOR)) throw new Error(`Dockerfile.build no longer has the line "${ANCHOR}" that cache mounts follow`);
  if (!staged) throw new Error(`Dockerfile.build no longer has a stage "FROM work AS build-..." that stages go before`);
  return out.join("\n");
}

/**
 * Dalec's sccache: its release tarball for the arch, extracted in the build's own root. BuildKit
 * checks the tarball's digest before any step sees it. A named context `build-sccache` (bake
 * variable DALEC_BAKE_SCCACHE: a folder holding `sccache`) replaces the last stage, and so the
 * download: for machines that cannot reach the release, or a binary of the user's choosing.
 */
function sccacheStages(url: string, sha256: string): string[] {
  const dl = "/tmp/internal/dalec/sccache-download/sccache.tar.gz";
  const ex = "/tmp/internal/dalec/sccache-extract";
  return [
    "# rustsccache: Dalec's pinned sccache release for this arch; ADD checks the tarball's digest.",
    `# A named context ${SCCACHE_STAGE} (DALEC_BAKE_SCCACHE: a folder holding sccache) replaces this.`,
    `FROM deps AS ${SCCACHE_STAGE}dl`,
    `ADD --checksum=sha256:${sha256} ${url} ${dl}`,
    `RUN --network=none mkdir -p ${ex} /output && \\`,
    `    tar -xzf ${dl} -C ${ex} && \\`,
    `    sccache_bin=$(find ${ex} -name sccache -type f | head -1) && \\`,
    `    if [ -z "$sccache_bin" ]; then echo "sccache binary not found in ${url}" >&2; exit 1; fi && \\`,
    '    cp "$sccache_bin" /output/sccache && chmod +x /output/sccache',
    "",
    `FROM scratch AS ${SCCACHE_STAGE}`,
    `COPY --from=${SCCACHE_STAGE}dl /output/sccache /sccache`,
    "",
  ];
}
