// Fields Dalec has but this version cannot build yet. They load (so real specs parse), and fail
// with a clear message only when a target being generated would need them: never silence.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { LoadedSpec } from "./load.js";
import type { SpecInput } from "./schema.js";

function present(v: unknown): boolean {
  if (v == null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

const TOP = ["package_config"] as const;
// `frontend` names the Dalec frontend image a target is built with: dalec-bake is the frontend.
const TARGET = ["package_config"] as const;

export function checkSupported(spec: LoadedSpec, distro: string): void {
  const fail = (path: Path): never => {
    const loc = spec.map.locate(path, true);
    const field = path.filter((p) => typeof p === "string").join(".");
    throw new UserError(`"${field}" is not supported yet by dalec-bake`, loc, spec.map.frame(loc));
  };
  const check = (obj: object | null | undefined, keys: readonly string[], at: Path) => {
    for (const k of keys) if (obj && present((obj as Record<string, unknown>)[k])) fail([...at, k]);
  };
  // A base is the image's root (after its command's steps): the package is installed into it.
  const bases = (img: SpecInput["image"], at: Path) =>
    (img?.bases ?? []).forEach(({ rootfs }, i) => {
      const rAt = [...at, "bases", i, "rootfs"];
      if (rootfs.path && rootfs.path !== "/") fail([...rAt, "path"]);
      check(rootfs, ["includes", "excludes"], rAt);
    });
  const { input } = spec;
  check(input, TOP, []);
  bases(input.image, ["image"]);
  const target = input.targets?.[distro];
  if (target) {
    check(target, TARGET, ["targets", distro]);
    bases(target.image, ["targets", distro, "image"]);
  }
}
