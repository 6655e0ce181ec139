// Fields Dalec has but this version cannot build yet. They load (so real specs parse), and fail
// with a clear message only when a target being generated would need them: never silence.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { LoadedSpec } from "./load.js";

function present(v: unknown): boolean {
  if (v == null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

const TOP = ["package_config"] as const;
const GIT_AUTH = ["ssh"] as const;
// `frontend` names the Dalec frontend image a target is built with: dalec-bake is the frontend.
const TARGET = ["package_config"] as const;
const TEST = ["mounts"] as const;
const STEP = ["mounts"] as const;

export function checkSupported(spec: LoadedSpec, distro: string): void {
  const fail = (path: Path): never => {
    const loc = spec.map.locate(path, true);
    const field = path.filter((p) => typeof p === "string").join(".");
    throw new UserError(`"${field}" is not supported yet by dalec-bake`, loc, spec.map.frame(loc));
  };
  const check = (obj: object | null | undefined, keys: readonly string[], at: Path) => {
    for (const k of keys) if (obj && present((obj as Record<string, unknown>)[k])) fail([...at, k]);
  };
  const { input } = spec;
  check(input, TOP, []);
  for (const [name, src] of Object.entries(input.sources ?? {})) {
    check(src.git?.auth, GIT_AUTH, ["sources", name, "git", "auth"]);
  }
  (input.build?.steps ?? []).forEach((s, i) => check(s, STEP, ["build", "steps", i]));
  const scopes: [object | undefined, Path][] = [[input, []]];
  const target = input.targets?.[distro];
  if (target) {
    check(target, TARGET, ["targets", distro]);
    scopes.push([target, ["targets", distro]]);
  }
  for (const [scope, at] of scopes) {
    const s = scope as { tests?: object[] };
    (s.tests ?? []).forEach((t, i) => {
      check(t, TEST, [...at, "tests", i]);
    });
  }
}
