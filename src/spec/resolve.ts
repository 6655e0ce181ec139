// LoadedSpec + one leaf of the matrix -> ResolvedSpec: args substituted in exactly the fields
// Dalec substitutes, the distro's `targets` entry merged the way Dalec merges it.
import { UserError } from "../errors.js";
import type { Distro } from "../distros.js";
import { platformOf } from "../distros.js";
import type { Path } from "../yaml/read.js";
import { OPT_IN_ARGS, substitute, substituteMap } from "./args.js";
import type { ArgScope } from "./args.js";
import type { LoadedSpec } from "./load.js";
import { specFileName } from "./load.js";
import type { Dependency, ResolvedImage, ResolvedSpec } from "./model.js";
import { resolveArtifacts } from "./resolve-artifacts.js";
import { baseCommand } from "./resolve-base.js";
import { resolveGenerators } from "./resolve-generators.js";
import { altGoBins, resolveCaches } from "./resolve-caches.js";
import { resolveMounts, resolveSource } from "./resolve-source.js";
import { resolveRepos } from "./resolve-repos.js";
import { resolveTests } from "./resolve-tests.js";
import type { ImageInput, PackageMap } from "./schema.js";
import { posix } from "node:path";
import { shlexSplit } from "./shlex.js";
import { withGlobalExcludes } from "./source-filter.js";
import { checkSupported } from "./support.js";
import { fieldName } from "../yaml/validate.js";

export interface LeafInput {
  distro: Distro;
  arch: string;
  /** Build args from the matrix's user axes; args the spec does not declare are ignored. */
  args: Readonly<Record<string, string>>;
  /** The named build contexts the matrix file gives (`contexts:`); none if not given. */
  contexts?: readonly string[];
  /** The matrix file's source filter: excludes added to every folder source (spec/source-filter.ts). */
  globalExcludes?: readonly string[];
}

export function argScope(spec: LoadedSpec, leaf: LeafInput): ArgScope {
  const values = new Map<string, string>();
  const platform: Record<string, string> = {
    TARGETOS: "linux",
    TARGETARCH: leaf.arch,
    TARGETPLATFORM: platformOf(leaf.arch),
    TARGETVARIANT: "",
    DALEC_TARGET: leaf.distro.name,
  };
  for (const [name, def] of Object.entries(spec.input.args ?? {})) {
    // As Dalec: a declared platform arg takes the target's value over its default, and an arg
    // declared with no value is empty unless the matrix gives one.
    const fromPlatform = (OPT_IN_ARGS as readonly string[]).includes(name) ? platform[name] : undefined;
    values.set(name, leaf.args[name] ?? fromPlatform ?? def ?? "");
  }
  return { values, map: spec.map };
}

export function resolveSpec(spec: LoadedSpec, leaf: LeafInput): ResolvedSpec {
  checkSupported(spec, leaf.distro.name);
  const contexts = leaf.contexts ?? [];
  const { input } = spec;
  const scope = argScope(spec, leaf);
  const target = input.targets?.[leaf.distro.name];
  const tAt: Path = ["targets", leaf.distro.name];
  const sub = (v: string | undefined, path: Path) => (v === undefined ? "" : substitute(v, scope, path));
  // A partial spec (sources only, as Dalec's own fixtures have) is named after its file.
  const name = input.name ?? specNameFromFile(spec.file);
  // A target's category replaces the spec's when it names any package (Dalec's len > 0); Dalec
  // substitutes args in build and runtime versions only.
  const deps = (cat: "build" | "runtime" | "recommends" | "test"): Dependency[] => {
    const mine = target?.dependencies?.[cat];
    const own = mine && Object.keys(mine).length ? mine : undefined;
    const path: Path = own ? [...tAt, "dependencies", cat] : ["dependencies", cat];
    return dependencies(specFileName(spec), own ?? input.dependencies?.[cat], cat === "build" || cat === "runtime" ? scope : undefined, path, leaf.arch);
  };
  // Targets replace provides, conflicts and replaces whole, as they do dependency categories.
  const relations = (key: "provides" | "conflicts" | "replaces"): Dependency[] => {
    const own = target?.[key];
    return dependencies(specFileName(spec), own ?? input[key], scope, own ? [...tAt, key] : [key], leaf.arch);
  };
  const strip = (n: number | undefined) => n ?? 1;
  const generators = resolveGenerators(spec);
  const buildDeps = deps("build");
  return withGlobalExcludes({
    globalExcludes: [],
    name,
    description: input.description ?? "",
    website: input.website ?? "",
    license: input.license ?? "",
    vendor: input.vendor ?? "",
    packager: input.packager ?? "",
    // A package needs a version; a partial spec without one still builds, as version 0.
    version: sub(input.version, ["version"]) || "0",
    revision: sub(input.revision, ["revision"]) || "1",
    noarch: input.noarch ?? false,
    sources: Object.entries(input.sources ?? {}).map(([name, s]) => resolveSource(spec, scope, name, s, ["sources", name], contexts)),
    buildEnv: Object.entries(substituteMap(input.build?.env, scope, ["build", "env"])),
    steps: (input.build?.steps ?? []).map((s, i) => ({
      command: s.command,
      env: Object.entries(substituteMap(s.env, scope, ["build", "steps", i, "env"])),
      mounts: resolveMounts(spec, scope, s.mounts, ["build", "steps", i, "mounts"], contexts),
    })),
    network: input.build?.network_mode === "sandbox" ? "sandbox" : "none",
    // Dalec applies patches source by source in name order, each source's patches in order.
    patches: Object.keys(input.patches ?? {})
      .sort()
      .flatMap((t) =>
        (input.patches?.[t] ?? []).map((p, i) => ({
          target: t,
          // Dalec substitutes args in a patch's path (not in its source's name).
          file: p.path ? posix.join(p.source, sub(p.path, ["patches", t, i, "path"])) : p.source,
          strip: strip(p.strip),
          where: `${specFileName(spec)}: patches.${t}[${i}]`,
        })),
      ),
    generators,
    ...resolveCaches(spec, leaf.distro, leaf.arch, buildDeps, generators),
    goBins: altGoBins(leaf.distro.family, buildDeps, generators),
    deps: { build: buildDeps, runtime: deps("runtime"), recommends: deps("recommends"), test: deps("test") },
    repos: resolveRepos(spec, leaf.distro.name, (n, s, at) => resolveSource(spec, scope, n, s, at, contexts)),
    provides: relations("provides"),
    conflicts: relations("conflicts"),
    replaces: relations("replaces"),
    changelog: (input.changelog ?? []).map((c) => ({ date: c.date, author: c.author ?? "", changes: c.changes ?? [] })),
    artifacts: resolveArtifacts(name, target?.artifacts ?? input.artifacts, leaf.distro),
    image: image(spec, scope, input.image, target?.image, tAt, contexts),
    tests: resolveTests(spec, scope, [
      ...(input.tests ?? []).map((t, i) => ({ test: t, path: ["tests", i] as Path })),
      ...(target?.tests ?? []).map((t, i) => ({ test: t, path: [...tAt, "tests", i] as Path })),
    ], contexts),
  }, leaf.globalExcludes ?? []);
}

export function specNameFromFile(file: string): string {
  return posix.basename(file.split("\\").join("/")).replace(/\.(ya?ml)$/i, "").replace(/\.dalec$/i, "");
}

// Dalec writes `> x` as `>> x`, `< x` as `<< x`, `== x` and a bare version as `= x`; written
// without a space it passes `>x`/`<x` on, which dpkg reads as the old `>=`/`<=`.
function debianConstraint(c: string): string {
  const t = c.trim();
  const m = /^(==|>=|<=|>>|<<|=|>|<)?(\s*)(.*)$/.exec(t)!;
  const op = m[1];
  const ver = m[3] ?? "";
  if (!op) return /^[0-9]/.test(ver) ? `= ${ver}` : t;
  const map: Record<string, string> = m[2] ? { ">": ">>", "<": "<<", "==": "=" } : { ">": ">=", "<": "<=", "==": "=" };
  return `${map[op] ?? op} ${ver}`;
}

/**
 * Whether a dependency's `arch` list (Debian architecture restrictions, as dpkg-gencontrol reads
 * them: `[amd64 arm64]`, `[!arm64]`, wildcards `any`, `linux-any`, `any-amd64`) keeps it on `arch`.
 */
function archKeeps(list: readonly string[], arch: string): boolean {
  if (!list.length) return true;
  const matches = (a: string) => [arch, "any", "linux-any", `any-${arch}`, `linux-${arch}`].includes(a);
  if (list.every((a) => a.startsWith("!"))) return !list.some((a) => matches(a.slice(1)));
  return list.some((a) => !a.startsWith("!") && matches(a));
}

function dependencies(file: string, m: PackageMap | undefined, scope: ArgScope | undefined, path: Path, arch: string): Dependency[] {
  return Object.entries(m ?? {})
    .map(([name, c]) => ({
      name,
      version: (c.version ?? []).map((v, i) => debianConstraint(scope ? substitute(v, scope, [...path, name, "version", i]) : v)),
      arch: c.arch ?? [],
      where: `${file}: ${fieldName([...path, name])}`,
    }))
    .filter((d) => archKeeps(d.arch, arch))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function image(spec: LoadedSpec, scope: ArgScope, base: ImageInput | undefined, over: ImageInput | undefined, tAt: Path, contexts: readonly string[]): ResolvedImage {
  const split = (v: string | undefined, path: Path) => {
    if (v === undefined) return undefined;
    try {
      return shlexSplit(v);
    } catch (e) {
      const loc = spec.map.locate(path);
      throw new UserError(`cannot split command line: ${(e as Error).message}`, loc, spec.map.frame(loc));
    }
  };
  // An empty string sets nothing, in the spec or a target, as in Dalec.
  const set = (v: unknown) => v !== undefined && v !== "";
  const pick = <K extends keyof ImageInput>(k: K): [ImageInput[K], Path] =>
    set(over?.[k]) ? [over![k], [...tAt, "image", k]] : set(base?.[k]) ? [base![k], ["image", k]] : [undefined, ["image", k]];
  const [ep, epAt] = pick("entrypoint");
  const [cmd, cmdAt] = pick("cmd");
  const entrypoint = split(ep, epAt);
  const labels = {
    ...substituteMap(base?.labels, scope, ["image", "labels"]),
    ...substituteMap(over?.labels, scope, [...tAt, "image", "labels"]),
  };
  return {
    entrypoint,
    // Setting an entrypoint clears an inherited cmd, as in Dalec.
    cmd: split(cmd, cmdAt),
    env: [...(base?.env ?? []), ...(over?.env ?? [])].filter((e, i, all) => all.indexOf(e) === i),
    labels: Object.entries(labels),
    workingDir: pick("working_dir")[0],
    user: pick("user")[0],
    volumes: [...new Set([...Object.keys(base?.volumes ?? {}), ...Object.keys(over?.volumes ?? {})])].sort(),
    stopSignal: pick("stop_signal")[0],
    // A target's bases replace the spec's when set at all: `bases: []` is the distro's own image.
    // A target's `base: ""` sets none: Dalec moves only a non-empty base into bases.
    base: over?.base || (over?.bases !== undefined ? baseRef(over) : baseRef(base)),
    baseCmd: baseCommand(spec, scope, base, over, tAt, contexts),
    symlinks: Object.entries((over?.post ?? base?.post)?.symlinks ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([old, t]) => (t.path ? [t.path] : [...(t.paths ?? [])].sort()).map((p) => ({ old, link: p, user: t.user ?? "", group: t.group ?? "" }))),
  };
}

function baseRef(img: ImageInput | undefined): string | undefined {
  return img?.base || img?.bases?.[0]?.rootfs.image?.ref;
}
