// The test node of a leaf whose image sets `env`: Dalec runs the tests (and installs their
// dependencies) on the base image with the package installed, never with the image config, so
// every RUN of the test stage runs with exactly the base image's environment. A stage records it
// (`env -0` on the base), and the stage's SHELL runs each command through lib/base-env.sh, which
// starts it with that environment and nothing else.
import type { ResolvedImage, ResolvedSpec } from "../spec/model.js";
import { baseFrom } from "./image-dockerfile.js";
import type { RunEdit } from "./library-copy.js";

/** Named <kind>-<word>, so that progress output attributes its step to the test node. */
const STAGE = "test-baseenv";
const MOUNTS = [
  `--mount=type=bind,from=${STAGE},source=/base-env,target=/dalec/base-env`,
  "--mount=type=bind,from=lib,source=base-env.sh,target=/dalec/lib/base-env.sh",
];
const TEST_FROM = "FROM image AS test";

/** What the leaf's test Dockerfile adds to the RUN lines holding `anchors`: the two mounts, and the stage. */
export function baseEnvEdits(image: ResolvedImage, anchors: readonly string[]): RunEdit[] {
  const stages = ["ARG BASE_IMAGE", `FROM ${baseFrom(image)} AS ${STAGE}`, "RUN --network=none env -0 > /base-env", ""];
  return anchors.map((anchor, i) => ({ anchor, mounts: MOUNTS, ...(i === 0 ? { stages } : {}) }));
}

/** The test Dockerfile with the test stage's SHELL set to start commands with the base environment. */
export function withBaseEnvShell(dockerfile: string): string {
  const lines = dockerfile.split("\n");
  const at = lines.indexOf(TEST_FROM);
  if (at < 0) throw new Error(`Dockerfile.test no longer has the line "${TEST_FROM}" after which the base environment's SHELL goes`);
  const shell = [
    "# The base image's environment, not the image config's: each RUN starts with exactly it.",
    'SHELL ["/bin/bash", "/dalec/lib/base-env.sh", "/bin/sh", "-c"]',
  ];
  return [...lines.slice(0, at + 1), ...shell, ...lines.slice(at + 1)].join("\n");
}

/** Whether a leaf's test node runs with the base image's environment: its image sets env. */
export function leafBaseEnv(r: ResolvedSpec): boolean {
  return r.tests.length > 0 && r.image.env.length > 0;
}
