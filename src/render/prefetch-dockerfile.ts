// A prefetch node's Dockerfile: a build source's context that bake cannot take as it is, laid out
// in a folder for the nested build to read (graph/fetch-blocks.ts): an image's path, an http
// file checked against its digest (named as the Dockerfile), or a folder filtered by its
// includes/excludes with lib/sources.sh's filter, as the sources node filters a source.
import { posix } from "node:path";
import { DISTROS } from "../distros.js";
import type { BuildFrom } from "../spec/model.js";
import { patternsRegex } from "../spec/patterns.js";
import { dockerfileArgs } from "./dockerfile-words.js";
import { mountField } from "./library-copy.js";
import { STAMP, sq } from "./shell.js";

/** The named context a filtering prefetch node reads its folder from (and `lib`, the filter). */
export const PREFETCH_SOURCE = "src";

/** What a filtering stage runs on: the sources node's default tools image (Dockerfile.sources). */
export const TOOLS_IMAGE = DISTROS.bookworm!.image;

/**
 * The RUN of a filtering stage: the folder `mount` binds at /dalec/in laid out in /out/m with
 * lib/sources.sh's filter, as the sources node filters a source. `what` names it in messages.
 */
export function filterRun(mount: string, filter: { includes: readonly string[]; excludes: readonly string[] }, what: string): string[] {
  return [
    `RUN --network=none ${mount} \\`,
    "    --mount=type=bind,from=lib,source=sources.sh,target=/dalec/lib/sources.sh \\",
    `    OUT=/out bash -c '. /dalec/lib/sources.sh && dalec_filter /dalec/in m . "$1" "$2" "${what}"' sh ${sq(patternsRegex(filter.includes))} ${sq(patternsRegex(filter.excludes))}`,
  ];
}

/** Whether a build source's context needs a prefetch node. */
export function prefetched(from: BuildFrom): boolean {
  return from.kind === "image" || (from.kind === "http" && from.digest !== undefined) || ("filter" in from && from.filter !== undefined);
}

/** `dockerfile`: the build's Dockerfile path, which an http file is named as. */
export function renderPrefetch(from: BuildFrom, dockerfile: string): string | undefined {
  if (!prefetched(from)) return undefined;
  const lines = [`# ${STAMP}`];
  if ("filter" in from && from.filter) {
    // An image's path is read from the image; any other folder is the context's own root.
    const source = from.kind === "image" ? posix.normalize(`/${from.path}`) : ".";
    const mount = `--mount=${["type=bind", `from=${PREFETCH_SOURCE}`, mountField("source", source), "target=/dalec/in"].join(",")}`;
    lines.push(`FROM ${TOOLS_IMAGE} AS filter`, ...filterRun(mount, from.filter, "the build source"), "FROM scratch", "COPY --from=filter /out/m/ /");
  } else if (from.kind === "image") {
    lines.push(`FROM ${from.ref} AS image`, "FROM scratch", `COPY --from=image ${dockerfileArgs([posix.normalize(`/${from.path}`), "/"])}`);
  } else if (from.kind === "http") {
    lines.push("FROM scratch", `ADD --checksum=${from.digest} ${dockerfileArgs([from.url, posix.normalize(`/${dockerfile}`)])}`);
  }
  return `${lines.join("\n")}\n`;
}
