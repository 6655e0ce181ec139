// An image base's rootfs command (`image.bases[0].rootfs.image.cmd`): steps run on the base
// image, whose root after them is what the package is installed into. Dalec substitutes no args
// in an image's bases, so the command is used as written: its dir, env, steps and mounts.
import type { Path } from "../yaml/read.js";
import type { ArgScope } from "./args.js";
import type { LoadedSpec } from "./load.js";
import type { ResolvedCommand } from "./model.js";
import { resolveCommand } from "./resolve-fetched.js";
import type { ImageInput } from "./schema.js";

/** The command of the base in effect (a target's `bases`, when set at all, replace the spec's). */
export function baseCommand(spec: LoadedSpec, scope: ArgScope, base: ImageInput | undefined, over: ImageInput | undefined, tAt: Path, contexts: readonly string[]): ResolvedCommand | undefined {
  // A target's `base: ""` is no base (Dalec moves only a non-empty base into bases).
  const [img, at] = over?.base || over?.bases !== undefined ? [over, [...tAt, "image"]] : [base, ["image"]];
  const cmd = img?.bases?.[0]?.rootfs.image?.cmd;
  return cmd && resolveCommand(spec, { ...scope, verbatim: true }, cmd, [...at, "bases", 0, "rootfs", "image", "cmd"], contexts);
}
