// An image base's rootfs command (`image.bases[0].rootfs.image.cmd`): steps run on the base
// image, whose root after them is what the package is installed into. Dalec substitutes no args
// in an image's bases, so the command's dir, env and steps are used as written.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { ArgScope } from "./args.js";
import type { LoadedSpec } from "./load.js";
import type { ResolvedCommand, StepMount } from "./model.js";
import { resolveMounts } from "./resolve-source.js";
import type { ImageInput } from "./schema.js";

/** The command of the base in effect (a target's `bases`, when set at all, replace the spec's). */
export function baseCommand(spec: LoadedSpec, scope: ArgScope, base: ImageInput | undefined, over: ImageInput | undefined, tAt: Path, contexts: readonly string[]): ResolvedCommand | undefined {
  const [img, at] = over?.base !== undefined || over?.bases !== undefined ? [over, [...tAt, "image"]] : [base, ["image"]];
  const cmd = img?.bases?.[0]?.rootfs.image?.cmd;
  if (!cmd) return undefined;
  const cAt = [...at, "bases", 0, "rootfs", "image", "cmd"];
  const mounts = (list: Parameters<typeof resolveMounts>[2], mAt: Path) => resolveMounts(spec, scope, list, mAt, contexts).map((m) => selfContained(spec, m));
  return {
    dir: cmd.dir || undefined,
    env: Object.entries(cmd.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    mounts: mounts(cmd.mounts, [...cAt, "mounts"]),
    steps: cmd.steps.map((st, i) => ({
      command: st.command,
      env: Object.entries(st.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      mounts: mounts(st.mounts, [...cAt, "steps", i, "mounts"]),
    })),
  };
}

/**
 * The image node builds the base for each target platform from its own Dockerfile, which holds
 * inline files and names http files and images; a folder of the build context, a git commit, a
 * named context or a nested build would need contexts of the platform-independent nodes.
 */
function selfContained(spec: LoadedSpec, m: StepMount): StepMount {
  const s = m.source;
  const filtered = "includes" in s && s.includes.length + s.excludes.length > 0;
  if (s.kind === "context" || s.kind === "named" || s.kind === "git" || s.kind === "build" || filtered) {
    const loc = spec.map.locate(m.at, true);
    const what = filtered ? "a mount filtered by includes/excludes" : `a ${s.kind === "named" ? "context" : s.kind} source mounted`;
    throw new UserError(`${what} by an image base's command is not supported yet by dalec-bake (inline, http and image sources are)`, loc, spec.map.frame(loc));
  }
  if (s.kind === "image" && s.cmd) for (const inner of [...s.cmd.mounts, ...s.cmd.steps.flatMap((st) => st.mounts)]) selfContained(spec, inner);
  return m;
}
