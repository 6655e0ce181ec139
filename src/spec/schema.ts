// The shape of a Dalec spec as the user wrote it (SpecInput). Every field Dalec knows is listed,
// so an unknown field is an error; fields this version cannot build yet are accepted here and
// rejected by spec/support.ts only when a generated target would need them.
import { z } from "zod";
import type { artifactConfig } from "./schema-artifacts.js";
import { artifacts } from "./schema-artifacts.js";
import { buildStep, lazyMount, lazySource } from "./schema-sources.js";
import type { SourceShape } from "./schema-sources.js";
import { int, mode, opt, orEmpty, str, strMap } from "./scalars.js";

export type { CommandInput, MountInput, SourceShape } from "./schema-sources.js";


const depConstraints = z
  .object({
    version: opt(z.array(str)).describe("Version constraints such as '>= 1.2'"),
    arch: opt(z.array(str)).describe("Architectures the dependency applies to"),
  })
  .strict();

/**
 * `name: {}` / `name:` / a plain list of names (the legacy form). An empty list is no list at
 * all, as Dalec reads it (so a target's `provides: []` keeps the spec's, where `{}` empties it).
 */
const packageMap = z
  .union([
    z.record(z.string(), orEmpty(depConstraints)),
    z.array(str).transform((names) => (names.length ? Object.fromEntries(names.map((n) => [n, {}])) : undefined)),
  ])
  .transform((v) => v as Record<string, z.infer<typeof depConstraints>> | undefined);

/** Dalec's PackageRepositoryConfig: a package repository present only while packages are installed. */
const packageRepo = z
  .object({
    keys: opt(z.record(z.string(), orEmpty(lazySource))).describe("Signing keys, by file name (.asc armored, .gpg binary): /usr/share/keyrings/<name> (apt), /etc/pki/rpm-gpg/<name> (dnf)"),
    config: opt(z.record(z.string(), orEmpty(lazySource))).describe("Repository config files, by name: apt source lists (.list) or yum repo files (.repo)"),
    data: opt(z.array(lazyMount)).describe("Sources mounted where the config expects them, such as a local repository"),
    envs: opt(z.array(str)).describe("When the repository is present: build, install, test (all three when empty)"),
  })
  .strict();

const dependencies = z
  .object({
    build: opt(packageMap).describe("Packages needed to build"),
    runtime: opt(packageMap).describe("Packages the built package depends on"),
    recommends: opt(packageMap).describe("Packages recommended alongside the built package"),
    test: opt(packageMap).describe("Packages installed only to run the tests"),
    // Only Dalec's sysext targets read them; dalec-bake builds packages and images, no sysext.
    sysext: opt(packageMap).describe("Packages a Dalec system extension holds (checked, not used: dalec-bake builds no sysext)"),
    extra_repos: opt(z.array(packageRepo)).describe("Extra package repositories for installing build, runtime or test dependencies"),
  })
  .strict();

const image = z
  .object({
    entrypoint: opt(str).describe("Entrypoint, split like a shell command line"),
    cmd: opt(str).describe("Default command, split like a shell command line"),
    env: opt(z.array(str)).describe("KEY=value entries"),
    labels: opt(strMap),
    volumes: opt(z.record(z.string(), orEmpty(z.object({}).strict()))),
    working_dir: opt(str),
    stop_signal: opt(str),
    base: opt(str).describe("Deprecated: use bases"),
    bases: opt(z.array(z.object({ rootfs: lazySource }).strict())),
    post: opt(
      z
        .object({
          symlinks: opt(
            z.record(
              z.string(),
              z.object({ path: opt(str), paths: opt(z.array(str)), user: opt(str), group: opt(str) }).strict(),
            ),
          ),
        })
        .strict(),
    ),
    user: opt(str),
  })
  .strict();

const checkOutput = {
  equals: opt(str).describe("Output must equal this exactly"),
  contains: opt(z.array(str)).describe("Output must contain each of these"),
  matches: opt(z.array(str)).describe("Output must match each of these regular expressions"),
  starts_with: opt(str),
  ends_with: opt(str),
  empty: opt(z.boolean()),
};

const outputCheck = z.object(checkOutput).strict();

const fileCheck = z
  .object({
    ...checkOutput,
    permissions: opt(mode),
    is_dir: opt(z.boolean()),
    not_exist: opt(z.boolean()),
    no_follow: opt(z.boolean()),
    link_target: opt(str),
  })
  .strict();

const testStep = z
  .object({
    command: str.describe("Command line, split like a shell command line"),
    env: opt(strMap),
    stdout: opt(outputCheck),
    stderr: opt(outputCheck),
    stdin: opt(str),
  })
  .strict();

const test = z
  .object({
    name: str,
    dir: opt(str),
    mounts: opt(z.array(lazyMount)),
    env: opt(strMap),
    steps: opt(z.array(testStep)),
    files: opt(z.record(z.string(), orEmpty(fileCheck))),
  })
  .strict();


const cacheDir = z
  .object({
    key: opt(str),
    dest: opt(str),
    sharing: opt(str),
    no_auto_namespace: opt(z.boolean()),
  })
  .strict();
const scopedCache = z.object({ scope: opt(str), disabled: opt(z.boolean()) }).strict();
const cache = z
  .object({ dir: opt(cacheDir), gobuild: opt(scopedCache), rustsccache: opt(scopedCache), bazel: opt(scopedCache) })
  .strict();

const frontend = z.object({ image: str, cmdline: opt(str) }).strict();
const packageConfig = z
  .object({ signer: opt(z.object({ image: str, cmdline: opt(str), args: opt(strMap) }).strict()) })
  .strict();

const target = z
  .object({
    dependencies: opt(dependencies),
    image: opt(image),
    tests: opt(z.array(test)),
    artifacts: opt(artifacts),
    provides: opt(packageMap),
    replaces: opt(packageMap),
    conflicts: opt(packageMap),
    frontend: opt(frontend),
    package_config: opt(packageConfig),
  })
  .strict();

export const specSchema = z
  .object({
    name: opt(str).describe("Package name"),
    description: opt(str),
    website: opt(str),
    version: opt(str),
    revision: opt(str),
    license: opt(str),
    vendor: opt(str),
    packager: opt(str),
    noarch: opt(z.boolean()),
    args: opt(z.record(z.string(), str.nullable())).describe("Build args; null means no default"),
    sources: opt(z.record(z.string(), orEmpty(lazySource))),
    build: opt(
      z
        .object({
          env: opt(strMap),
          steps: opt(z.array(buildStep)),
          network_mode: opt(str).describe("none (default) or sandbox"),
          caches: opt(z.array(cache)),
        })
        .strict(),
    ),
    dependencies: opt(dependencies),
    artifacts: opt(artifacts),
    image: opt(image),
    targets: opt(z.record(z.string(), orEmpty(target))),
    tests: opt(z.array(test)),
    patches: opt(
      z.record(z.string(), z.array(z.object({ source: str, strip: opt(int), path: opt(str) }).strict()).nullable().transform((v) => v ?? [])),
    ),
    conflicts: opt(packageMap),
    replaces: opt(packageMap),
    provides: opt(packageMap),
    changelog: opt(
      z.array(z.object({ date: str, author: opt(str), changes: opt(z.array(str)) }).strict()),
    ),
    package_config: opt(packageConfig),
  })
  .strict();

export type SpecInput = z.infer<typeof specSchema>;
export type SourceInput = SourceShape;
export type PatchInput = NonNullable<SpecInput["patches"]>[string][number];
export type CacheInput = z.infer<typeof cache>;
export type TestInput = NonNullable<SpecInput["tests"]>[number];
export type ImageInput = z.infer<typeof image>;
export type DependenciesInput = z.infer<typeof dependencies>;
export type PackageRepoInput = z.infer<typeof packageRepo>;
export type PackageMap = Record<string, z.infer<typeof depConstraints>>;
export type ArtifactsInput = z.infer<typeof artifacts>;
export type ArtifactConfig = z.infer<typeof artifactConfig>;
export type CheckInput = z.infer<typeof outputCheck>;
export type FileCheckInput = z.infer<typeof fileCheck>;
