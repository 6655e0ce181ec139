// A prefetch node's Dockerfile: a build source's context that bake cannot take as it is, laid out
// in a folder for the nested build to read (graph/fetch-blocks.ts): an image's path (what its
// command leaves there, run as the fetch node runs an image source's), an http file checked
// against its digest (named as the Dockerfile), or a folder filtered by its includes/excludes
// with lib/sources.sh's filter, as the sources node filters a source.
import { posix } from "node:path";
import type { BuildFrom } from "../spec/model.js";
import { TOOLS_IMAGE, commandStages, filterRun } from "./command-stages.js";
import { dockerfileArgs } from "./dockerfile-words.js";
import { mountField } from "./library-copy.js";
import { STAMP } from "./shell.js";

/** The named context a filtering prefetch node reads its folder from (and `lib`, the filter). */
export const PREFETCH_SOURCE = "src";

/** Whether a build source's context needs a prefetch node. */
export function prefetched(from: BuildFrom): boolean {
  return from.kind === "image" || (from.kind === "http" && from.digest !== undefined) || ("filter" in from && from.filter !== undefined);
}

/**
 * The prefetch node's files by their path in its folder: its Dockerfile, and those of an image's
 * command. `dockerfile`: the build's Dockerfile path, which an http file is named as;
 * `contextRoot`: the folder of the build context a command mounts as `context`.
 */
export function renderPrefetch(from: BuildFrom, dockerfile: string, contextRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!prefetched(from)) return files;
  const lines = [`# ${STAMP}`];
  // The folder a filter reads: the command's stage (at the image's path) or the context's root.
  let folder = { from: PREFETCH_SOURCE, source: from.kind === "image" ? posix.normalize(`/${from.path}`) : "." };
  if (from.kind === "image" && from.cmd) {
    // prefetch-<N>: a stage named <kind>-<word> is attributed to the prefetch node in progress output.
    const stages = commandStages(files, "", "prefetch", contextRoot, () => {
      throw new Error("a build source's image command mounts no build (spec/resolve-fetched.ts refuses it)");
    });
    const image = stages.imageStage("prefetch-image", from.ref, folder.source, from.cmd, "image");
    const made = stages.stages();
    lines.push(...made, ...(made.length ? [""] : []), ...image);
    folder = { from: "prefetch-image", source: folder.source };
    lines.push("");
  } else if (from.kind === "image" && !from.filter) {
    lines.push(`FROM ${from.ref} AS image`);
    folder = { from: "image", source: folder.source };
  }
  if ("filter" in from && from.filter) {
    const mount = `--mount=${["type=bind", `from=${folder.from}`, mountField("source", folder.source), "target=/dalec/in"].join(",")}`;
    // BuildKit 0.13 keeps a named git context's .git (later ones only when asked): without
    // keepGitDir it is dropped, as Dalec's git source has none; with it, an engine that gave
    // none is named rather than the build going on without it (a subfolder never has one).
    const filter = from.kind === "git" && !from.keepGitDir ? { ...from.filter, excludes: [...from.filter.excludes, ".git"] } : from.filter;
    const gitDir = from.kind === "git" && from.keepGitDir && from.path === "." ? "keepGitDir: this BuildKit gave the build source a git context without .git (BuildKit 0.13 keeps it in a named git context)" : "";
    lines.push(`FROM ${TOOLS_IMAGE} AS filter`, ...filterRun(mount, filter, "the build source", gitDir), "FROM scratch", "COPY --from=filter /out/m/ /");
  } else if (from.kind === "image") {
    lines.push("FROM scratch", `COPY --from=${folder.from} ${dockerfileArgs([folder.source, "/"])}`);
  } else if (from.kind === "http") {
    lines.push("FROM scratch", `ADD --checksum=${from.digest} ${dockerfileArgs([from.url, posix.normalize(`/${dockerfile}`)])}`);
  }
  files.set("Dockerfile", `${lines.join("\n")}\n`);
  return files;
}
