// The runtime image of one spec: the distro base with the package (and so its runtime
// dependencies) installed, then the spec's image config. Generated per spec because Dockerfile
// ENTRYPOINT and CMD cannot come from build args.
import { posix } from "node:path";
import type { Distro } from "../distros.js";
import type { ResolvedImage, ResolvedSource, StepMount } from "../spec/model.js";
import { sourceMount } from "./build-dockerfile.js";
import type { SourceMountLine } from "./build-dockerfile.js";
import { commandStages, filtered } from "./command-stages.js";
import { dockerfileQuoted } from "./dockerfile-words.js";
import type { RepoStep } from "./repo-mounts.js";
import { rpmImport } from "./repo-mounts.js";
import { STAMP, sq } from "./shell.js";

/** The image the package goes into: the spec's own base (image.base/bases) or the distro's. */
export function baseFrom(image: ResolvedImage): string {
  return image.base ? JSON.stringify(image.base).slice(1, -1) : "${BASE_IMAGE}";
}

/** The build arg that holds a newline, for the image config's values that have one. */
export const NEWLINE_ARG = "DALEC_BAKE_NEWLINE";

/** Whether the image config has a value with a newline (its image node then gives NEWLINE_ARG). */
export function imageNeedsNewline(image: ResolvedImage): boolean {
  const words = [...image.labels.flat(), ...image.env, image.stopSignal, image.workingDir, image.user];
  return words.some((w) => w?.includes("\n"));
}

/**
 * Whether the image node makes a source its base's command mounts itself, for the target
 * platform as Dalec does: an inline source, an http file, an image (whose command mounts only
 * such sources). Any other is laid out by the sources node, as build steps' and tests' mounts.
 */
export function mountedByImageNode(s: ResolvedSource): boolean {
  if (s.kind === "inline-file" || s.kind === "inline-dir" || s.kind === "http") return true;
  if (s.kind !== "image" || filtered(s)) return false;
  return !s.cmd || [...s.cmd.mounts, ...s.cmd.steps.flatMap((st) => st.mounts)].every((m) => mountedByImageNode(m.source));
}

/**
 * The image node's files by path: its Dockerfile, and the step scripts and inline files of its
 * base's command. `repos`: the extra repos present while the package is installed (envs:
 * install); `fromSources`: where the sources node laid out the base command's other mounts.
 */
export function renderImageDockerfile(
  image: ResolvedImage,
  family: Distro["family"] = "debian",
  repos?: RepoStep,
  fromSources: ReadonlyMap<StepMount, SourceMountLine> = new Map(),
): [string, string][] {
  const mounts = (repos?.mounts ?? []).map((m) => `    ${m} \\`);
  const keys = repos && rpmImport(repos);
  const files = new Map<string, string>();
  // The spec's own base (image.base/bases) replaces the distro's; it must have the distro's
  // package manager, as Dalec's targets need too. A base's command runs on it first, for each
  // target platform: its root is then the base, its config still the base image's (as Dalec's).
  let from = baseFrom(image);
  const base: string[] = [];
  if (image.base && image.baseCmd) {
    const cmd = image.baseCmd;
    const stages = commandStages(files, "", "image", "", () => {
      throw new Error("a build an image base's command mounts comes from the sources node");
    });
    const mount = (m: StepMount) => {
      const laidOut = fromSources.get(m);
      return laidOut ? sourceMount(laidOut) : stages.mount(m);
    };
    const stepMounts = (i: number) => [...cmd.mounts, ...cmd.steps[i]!.mounts].map(mount);
    const run = stages.imageStage("image-base", from, "/", cmd, "base", { cdInScript: true, stepMounts });
    const made = stages.stages();
    base.push(...made, ...(made.length ? [""] : []), ...run, "");
    from = "image-base";
  }
  const lines = [
    `# ${STAMP}`,
    "ARG BASE_IMAGE",
    ...(repos?.stages ?? []),
    ...base,
    `FROM ${from} AS image`,
    ...(family === "rpm"
      ? [
          "RUN --mount=type=bind,from=pkg,target=/dalec/pkg \\",
          ...mounts,
          ...(keys ? [`    ${keys} && \\`] : []),
          "    pm=$(command -v dnf || command -v tdnf) && \\",
          '    "$pm" install -y /dalec/pkg/*.rpm && \\',
          '    "$pm" clean all',
        ]
      : [
          "RUN --mount=type=bind,from=pkg,target=/dalec/pkg \\",
          ...mounts,
          "    apt-get update && \\",
          "    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /dalec/pkg/*.deb && \\",
          "    rm -rf /var/lib/apt/lists/*",
        ]),
  ];
  // Dalec makes the links in the container before any image config applies: before ENV here.
  for (const { old, link, user, group } of image.symlinks) {
    // The link's own owner, as Dalec sets it (chown -h); its target keeps its own.
    const at = posix.join("/", link);
    const owner = user || group ? ` && chown -h ${sq(`${user}${group ? `:${group}` : ""}`)} ${sq(at)}` : "";
    // As BuildKit's symlink action that Dalec uses: at that path under /, never inside a folder there.
    lines.push(`RUN mkdir -p "$(dirname ${sq(at)})" && ln -s -T ${sq(old)} ${sq(at)}${owner}`);
  }
  // Each value as written, with no expansion; a newline is the build arg NEWLINE_ARG (the image
  // node gives it: imageNeedsNewline).
  const quote = (v: string) => dockerfileQuoted(v).replace(/\n/g, `\${${NEWLINE_ARG}}`);
  if (imageNeedsNewline(image)) lines.push(`ARG ${NEWLINE_ARG}`);
  for (const [k, v] of image.labels) lines.push(`LABEL ${quote(k)}=${quote(v)}`);
  for (const e of image.env) {
    const eq = e.indexOf("=");
    const [k, v] = eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
    lines.push(`ENV ${k}=${quote(v)}`);
  }
  if (image.volumes.length) lines.push(`VOLUME ${JSON.stringify(image.volumes)}`);
  if (image.stopSignal) lines.push(`STOPSIGNAL ${quote(image.stopSignal)}`);
  if (image.workingDir) lines.push(`WORKDIR ${quote(image.workingDir)}`);
  if (image.user) lines.push(`USER ${quote(image.user)}`);
  if (image.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(image.entrypoint)}`);
  if (image.cmd) lines.push(`CMD ${JSON.stringify(image.cmd)}`);
  // An entrypoint clears an inherited cmd; on the distro's own image Dalec starts from an empty
  // config (only PATH), so the image's `bash` is not inherited either.
  else if (image.entrypoint || !image.base) lines.push("CMD []");
  // A last stage of its own (it keeps the config above): progress then names the steps by stage.
  lines.push("", "FROM image");
  return [["Dockerfile", `${lines.join("\n")}\n`], ...files];
}
