// Dalec's cross-field validation rules, run after the shape is known to be right.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { LoadedSpec } from "./load.js";

const SOURCE_KINDS = ["inline", "context", "git", "http", "image", "docker_image", "build"] as const;

export function checkSpecRules(spec: LoadedSpec): void {
  const fail = (msg: string, path: Path, key = false): never => {
    const loc = spec.map.locate(path, key);
    throw new UserError(msg, loc, spec.map.frame(loc));
  };
  const { input } = spec;
  for (const [name, src] of Object.entries(input.sources ?? {})) {
    const at = ["sources", name];
    if (name.includes("/")) fail(`source name "${name}" must not contain "/"`, at, true);
    const kinds = SOURCE_KINDS.filter((k) => src[k] != null);
    if (kinds.length !== 1) {
      const found = kinds.length ? kinds.join(" and ") : "none";
      fail(`source "${name}" must have exactly one of ${SOURCE_KINDS.join(", ")}; found ${found}`, at, true);
    }
    if (src.inline) {
      const { file, dir } = src.inline;
      if ((file == null) === (dir == null)) fail(`inline source "${name}" must have exactly one of file or dir`, [...at, "inline"]);
      if (file && (src.path != null || src.includes || src.excludes)) {
        fail(`inline file source "${name}" cannot have path, includes or excludes`, at, true);
      }
      for (const f of Object.keys(dir?.files ?? {})) {
        if (f.includes("/")) fail(`inline dir file name "${f}" must not contain "/"`, [...at, "inline", "dir", "files", f], true);
      }
    }
  }
  const build = input.build;
  if (build && !(build.steps?.length) && (Object.keys(build.env ?? {}).length || build.caches != null || build.network_mode != null)) {
    fail("build.env, build.caches or build.network_mode need at least one build step", ["build"], true);
  }
}
