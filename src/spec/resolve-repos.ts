// dependencies.extra_repos, resolved as Dalec merges them: a distro's `targets` entry replaces
// the spec's list whole when it has one. Their sources are mounted into the steps that install
// packages (render/repo-mounts.ts), so only sources a bind mount can hold are supported: inline
// files and folders, paths of the build context or of a named context (the matrix file's
// `contexts:`) without filters, and http files (a key or a config downloaded by BuildKit, its
// digest checked).
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
    const unsupported = (what: string, path: Path): never => {
      const loc = spec.map.locate(path, true);
      const why = "an extra repo's sources are mounted: inline, http, or a build or named context without includes or excludes";
      throw new UserError(`"${fieldName(sAt)}": ${what} is not supported yet by dalec-bake in an extra repo (${why})`, loc, spec.map.frame(loc));
    };
    if (!s.inline && !s.context && !s.http) {
      const kind = (["git", "image", "build"] as const).find((k) => s[k] != null) ?? "source";
      unsupported(`${kind === "image" ? "an" : "a"} ${kind} source`, sAt);
    }
    if (s.generate?.length) unsupported("a generator", [...sAt, "generate"]);
    if (s.includes?.length || s.excludes?.length) unsupported("includes or excludes", [...sAt, s.includes?.length ? "includes" : "excludes"]);
    const resolved = toSource(name, s, sAt);
    if (resolved.kind !== "inline-file" && resolved.kind !== "inline-dir" && resolved.kind !== "context" && resolved.kind !== "named" && resolved.kind !== "http") {
      throw new Error(`extra repo source resolved as ${resolved.kind}`);
    }
    return { ...resolved, at: [...sAt] };
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
