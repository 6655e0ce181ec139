// The mounts a spec adds to the library's build and test steps, after the library's own mount of
// the step's script (render/library-copy.ts writes the copy): cache mounts (build.caches, with a
// bazel cache's bazelrc and optional remote socket, a rustsccache cache's sccache binary) and
// the sources build steps and tests mount (laid out by the sources node under .dalec-mounts/),
// and the tests of a spec with several, each in a stage of its own.
// A rustsccache cache also adds the stages that make the sccache binary.
import type { ResolvedSpec } from "../spec/model.js";
import { libraryCopy, mountField } from "./library-copy.js";
import type { RunEdit } from "./library-copy.js";

/** The named context (and stage) whose `sccache` file the build step runs as RUSTC_WRAPPER. */
export const SCCACHE_STAGE = "build-sccache";
/** The folder file mounted as the system bazelrc. */
export const BAZELRC_FILE = "bazelrc";
/** The first build stage: stages the build step mounts from go before it. */
const STAGES_ANCHOR = /^FROM work AS build-/;

/** A source mount: `source` is its path in the sources node's output, `target` where it goes. */
export interface SourceMountLine {
  source: string;
  target: string;
}

// Writable as in Dalec, whose step mounts are not read-only; what a step writes there is dropped.
export const sourceMount = (m: SourceMountLine) => `--mount=${["type=bind", "from=sources", mountField("source", m.source), mountField("target", m.target), "rw"].join(",")}`;

const BUILD_ANCHOR = "--mount=type=bind,source=build.sh,target=/dalec/build.sh";
/** The command of the library's build step. */
const BUILD_COMMAND = "DESTDIR=/dalec/root bash /dalec/build.sh";

function buildEdit(spec: Pick<ResolvedSpec, "caches" | "sccache" | "bazel">, sources: readonly SourceMountLine[]): RunEdit {
  const mounts = spec.caches.map((c) => `--mount=${["type=cache", mountField("id", c.id), mountField("target", c.target), mountField("sharing", c.sharing)].join(",")}`);
  if (spec.bazel) {
    // Writable: build.sh adds the remote cache lines when the socket is there; BuildKit drops the write.
    mounts.push(`--mount=type=bind,source=${BAZELRC_FILE},target=/etc/bazel.bazelrc,rw`);
    mounts.push(`--mount=type=ssh,id=${spec.bazel.sshId},target=${spec.bazel.socket},required=false`);
  }
  if (spec.sccache) mounts.push(`--mount=type=bind,from=${SCCACHE_STAGE},source=sccache,target=${spec.sccache.binary}`);
  return { anchor: BUILD_ANCHOR, mounts: [...mounts, ...sources.map(sourceMount)] };
}

/**
 * The spec's own copy of the library's Dockerfile.build. With `steps` (each build step's source
 * mounts), the build step becomes one RUN per step, each with its own mounts, then one that
 * installs the artifacts: build.sh runs the part DALEC_STEP names.
 */
export function renderBuildDockerfile(library: string, spec: Pick<ResolvedSpec, "caches" | "sccache" | "bazel">, steps?: readonly (readonly SourceMountLine[])[]): string {
  let copy = libraryCopy(library, "Dockerfile.build", "mounts", [buildEdit(spec, [])]);
  if (steps) copy = stepRuns(copy, steps);
  return spec.sccache ? withSccacheStages(copy, spec.sccache) : copy;
}

/** Each RUN of the build step, as one RUN per step with its mounts and one that installs. */
function stepRuns(dockerfile: string, steps: readonly (readonly SourceMountLine[])[]): string {
  const lines = dockerfile.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("RUN ")) {
      out.push(lines[i]!);
      continue;
    }
    const run = runBlock(lines, i);
    if (!run.some((l) => l.includes(BUILD_ANCHOR))) {
      out.push(...run);
    } else {
      if (!run.at(-1)!.includes(BUILD_COMMAND)) throw new Error(`Dockerfile.build no longer ends its build step with "${BUILD_COMMAND}"`);
      steps.forEach((mounts, n) => out.push(...runCopy(run, BUILD_ANCHOR, mounts, `DALEC_STEP=${n + 1}`, BUILD_COMMAND)));
      out.push(...runCopy(run, BUILD_ANCHOR, [], "DALEC_STEP=install", BUILD_COMMAND));
    }
    i += run.length - 1;
  }
  return out.join("\n");
}

/** The lines of the RUN instruction that starts at `start`, through its last continued line. */
function runBlock(lines: readonly string[], start: number): string[] {
  let end = start;
  while (end < lines.length - 1 && lines[end]!.endsWith("\\")) end++;
  return lines.slice(start, end + 1);
}

/** A copy of a RUN block with `mounts` after the line holding `anchor`, and `env` before `command`. */
function runCopy(run: readonly string[], anchor: string, mounts: readonly SourceMountLine[], env: string, command: string): string[] {
  const at = run.findIndex((l) => l.includes(anchor));
  return [...run.slice(0, at + 1), ...mounts.map((m) => `    ${sourceMount(m)} \\`), ...run.slice(at + 1, -1), run.at(-1)!.replace(command, `${env} ${command}`)];
}

/** The library test step's mount of test.sh: what the spec adds to that step goes after it. */
export const TEST_ANCHOR = "--mount=type=bind,source=test.sh,target=/dalec/test.sh";
const TEST_COMMAND = "bash /dalec/test.sh && touch /dalec-tests-passed";
const TEST_OUTPUT = "COPY --from=test /dalec-tests-passed /";

/**
 * The library's Dockerfile.test (or the spec's copy of it) with each test in a stage of its own,
 * from the image with the test dependencies, with its own mounts: Dalec runs every test from
 * that state, so what one test writes no other sees, and two tests may mount different sources
 * at one place. The last stage needs every test's stage. `tests`: each test's source mounts.
 * `parts`: each test's parts (test-script.ts testParts), each a RUN from the one before, with
 * the mounts anew; none: the test is one RUN.
 */
export function testStages(dockerfile: string, tests: readonly (readonly SourceMountLine[])[], parts: readonly (readonly string[])[] = []): string {
  const lines = dockerfile.split("\n");
  const start = lines.findIndex((l) => l.startsWith("RUN ") && l.includes(TEST_ANCHOR));
  const run = start < 0 ? [] : runBlock(lines, start);
  const end = start + run.length - 1;
  const output = lines.indexOf(TEST_OUTPUT);
  if (run.length < 2 || !run.at(-1)!.includes(TEST_COMMAND) || output < end) {
    throw new Error(`Dockerfile.test no longer has its test step (a RUN with "${TEST_ANCHOR}" ending in "${TEST_COMMAND}", then "${TEST_OUTPUT}")`);
  }
  const stages = tests.flatMap((mounts, i) => {
    const n = i + 1;
    const own = parts[i] ?? [];
    if (!own.length) return ["", `FROM test AS test-${n}`, ...runCopy(run, TEST_ANCHOR, mounts, `DALEC_RUN_TEST=${n}`, TEST_COMMAND)];
    const name = (k: number) => (k === own.length - 1 ? `test-${n}` : `test-${n}-${own[k]}`);
    return own.flatMap((part, k) => ["", `FROM ${k ? name(k - 1) : "test"} AS ${name(k)}`, ...runCopy(run, TEST_ANCHOR, mounts, `DALEC_RUN_TEST=${n} DALEC_RUN_PART=${part}`, TEST_COMMAND)]);
  });
  const copies = tests.map((_, i) => `COPY --from=test-${i + 1} /dalec-tests-passed /dalec-tests-passed-${i + 1}`);
  return [...lines.slice(0, start), ...stages, ...lines.slice(end + 1, output), ...copies, ...lines.slice(output + 1)].join("\n");
}

/** The build Dockerfile copy with a rustsccache cache's stages before the first build stage. */
function withSccacheStages(dockerfile: string, sccache: Pick<NonNullable<ResolvedSpec["sccache"]>, "url" | "sha256">): string {
  const lines = dockerfile.split("\n");
  const at = lines.findIndex((l) => STAGES_ANCHOR.test(l));
  if (at < 0) throw new Error(`Dockerfile.build no longer has a stage "FROM work AS build-..." that stages go before`);
  return [...lines.slice(0, at), ...sccacheStages(sccache.url, sccache.sha256), ...lines.slice(at)].join("\n");
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
