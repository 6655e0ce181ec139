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

/** What the filter runs on: the sources node's default tools image, as the fetch node's filter. */
const TOOLS_IMAGE = DISTROS.bookworm!.image;

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
    lines.push(
      `FROM ${TOOLS_IMAGE} AS filter`,
      `RUN --network=none --mount=${["type=bind", `from=${PREFETCH_SOURCE}`, mountField("source", source), "target=/dalec/in"].join(",")} \\`,
      "    --mount=type=bind,from=lib,source=sources.sh,target=/dalec/lib/sources.sh \\",
      `    OUT=/out bash -c '. /dalec/lib/sources.sh && dalec_filter /dalec/in m . "$1" "$2" "the build source"' sh ${sq(patternsRegex(from.filter.includes))} ${sq(patternsRegex(from.filter.excludes))}`,
      "FROM scratch",
      "COPY --from=filter /out/m/ /",
    );
  } else if (from.kind === "image") {
    lines.push(`FROM ${from.ref} AS image`, "FROM scratch", `COPY --from=image ${dockerfileArgs([posix.normalize(`/${from.path}`), "/"])}`);
  } else if (from.kind === "http") {
    lines.push("FROM scratch", `ADD --checksum=${from.digest} ${dockerfileArgs([from.url, posix.normalize(`/${dockerfile}`)])}`);
  }
  return `${lines.join("\n")}\n`;
}
