// What a pushed node is called by digest: `repository@sha256:...`, read from bake's metadata
// file. Children in later jobs name their parents this way, so a job reads exactly the image
// the earlier job pushed, whatever the tag points at by then.

import { join } from "node:path";

/** Where `build --push` records what it pushed. */
export function digestDirOf(outDir: string): string {
  return join(outDir, "digests");
}

/** The folder under it that earlier jobs' records are downloaded into. */
export const EARLIER = "earlier";

/** One pushed node, as a file of the digests folder. */
export interface DigestRecord {
  node: string;
  ref: string;
  /** DALEC_BAKE_RUN of the build that pushed it. */
  run: string;
}

/** The repository of an image name: without its tag (a `:` after the last `/`) or digest. */
export function repositoryOf(name: string): string {
  const at = name.indexOf("@");
  const bare = at === -1 ? name : name.slice(0, at);
  const colon = bare.lastIndexOf(":");
  return colon > bare.lastIndexOf("/") ? bare.slice(0, colon) : bare;
}

/** Target name -> `repository@digest`, for each target of a metadata file that pushed an image. */
export function digestRefsOf(metadata: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof metadata !== "object" || metadata === null) return out;
  for (const [target, m] of Object.entries(metadata as Record<string, unknown>)) {
    if (typeof m !== "object" || m === null) continue;
    const digest = (m as Record<string, unknown>)["containerimage.digest"];
    const name = (m as Record<string, unknown>)["image.name"];
    if (typeof digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(digest) || typeof name !== "string" || !name) continue;
    out.set(target, `${repositoryOf(name.split(",")[0]!.trim())}@${digest}`);
  }
  return out;
}
