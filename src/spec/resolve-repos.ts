// dependencies.extra_repos, resolved as Dalec merges them: a distro's `targets` entry replaces
// the spec's list whole when it has one. Their sources are mounted into the steps that install
// packages (render/repo-mounts.ts): inline files and folders, http files and paths of the build
// context or of a named context as they are; any other (git, image, build, a context with
// includes or excludes) as the sources node lays it out. A generator (which Dalec ignores there)
// is an error.
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import { fieldName } from "../yaml/validate.js";
import type { LoadedSpec } from "./load.js";
import type { RepoEnv, RepoSource, ResolvedRepo, ResolvedSource } from "./model.js";
import type { PackageRepoInput, SourceInput } from "./schema.js";

export const REPO_ENVS: readonly RepoEnv[] = ["build", "install", "test"];

/** Resolves one source (args substituted) as the spec's own sources are. */
export type ToSource = (name: string, s: SourceInput, at: Path) => ResolvedSource;

export function resolveRepos(spec: LoadedSpec, distro: string, toSource: ToSource): ResolvedRepo[] {
  const own = spec.input.targets?.[distro]?.dependencies?.extra_repos;
  const [repos, at]: [PackageRepoInput[], Path] = own?.length
    ? [own, ["targets", distro, "dependencies", "extra_repos"]]
    : [spec.input.dependencies?.extra_repos ?? [], ["dependencies", "extra_repos"]];
  return repos.map((r, i) => repo(spec, r, [...at, i], toSource));
}

function repo(spec: LoadedSpec, r: PackageRepoInput, at: Path, toSource: ToSource): ResolvedRepo {
  const one = (name: string, s: SourceInput, sAt: Path): RepoSource => {
    // Dalec's generators read only the spec's own sources: one here would silently do nothing.
    if (s.generate?.length) {
      const loc = spec.map.locate([...sAt, "generate"], true);
      throw new UserError(`"${fieldName(sAt)}": Dalec runs no generator on an extra repo's source; remove its generate`, loc, spec.map.frame(loc));
    }
    return { ...toSource(name, s, sAt), at: [...sAt] };
  };
  const named = (m: Record<string, SourceInput> | undefined, key: string): [string, RepoSource][] =>
    Object.keys(m ?? {})
      .sort()
      .map((name) => [name, one(name, m![name]!, [...at, key, name])]);
  const envs = r.envs?.length ? r.envs : REPO_ENVS;
  return {
    config: named(r.config, "config"),
    keys: named(r.keys, "keys"),
    data: (r.data ?? []).map((d, i) => ({ dest: d.dest, source: one(`data-${i}`, d.spec, [...at, "data", i, "spec"]) })),
    envs: REPO_ENVS.filter((e) => envs.includes(e)),
  };
}

/** The repos present in one step (Dalec's GetExtraRepos). */
export function reposFor(repos: readonly ResolvedRepo[], env: RepoEnv): ResolvedRepo[] {
  return repos.filter((r) => r.envs.includes(env));
}
