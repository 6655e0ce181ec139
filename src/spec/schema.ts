// The shape of a Dalec spec as the user wrote it (SpecInput). Every field Dalec knows is listed,
// so an unknown field is an error; fields this version cannot build yet are accepted here and
// rejected by spec/support.ts only when a generated target would need them.
import { z } from "zod";
import { int, mode, opt, orEmpty, str, strMap } from "./scalars.js";

const loose = z.unknown().optional();

const artifactConfig = z
  .object({
    subpath: opt(str).describe("Directory under the artifact kind's install root"),
    name: opt(str).describe("File name to install as (default: the source file's base name)"),
    permissions: opt(mode).describe("File mode, e.g. 0o755"),
    user: opt(str),
    group: opt(str),
  })
  .strict();

const artifactMap = z.record(z.string(), orEmpty(artifactConfig));

const artifacts = z
  .object({
    binaries: opt(artifactMap).describe("Installed under /usr/bin"),
    manpages: opt(artifactMap).describe("Installed under /usr/share/man/<section>"),
    docs: opt(artifactMap).describe("Installed under /usr/share/doc/<package>"),
    configFiles: opt(artifactMap).describe("Installed under /etc, marked as conffiles"),
    libexec: loose,
    data_dirs: loose,
    licenses: loose,
    systemd: loose,
    links: loose,
    headers: loose,
    libs: loose,
    createDirectories: loose,
    users: loose,
    groups: loose,
    disable_strip: loose,
    disable_auto_requires: loose,
    opt: loose,
  })
  .strict();

const depConstraints = z
  .object({
    version: opt(z.array(str)).describe("Version constraints such as '>= 1.2'"),
    arch: opt(z.array(str)).describe("Architectures the dependency applies to"),
  })
  .strict();

/** `name: {}` / `name:` / a plain list of names (the legacy form). */
const packageMap = z
  .union([
    z.record(z.string(), orEmpty(depConstraints)),
    z.array(str).transform((names) => Object.fromEntries(names.map((n) => [n, {}]))),
  ])
  .transform((v) => v as Record<string, z.infer<typeof depConstraints>>);

const dependencies = z
  .object({
    build: opt(packageMap).describe("Packages needed to build"),
    runtime: opt(packageMap).describe("Packages the built package depends on"),
    recommends: loose,
    test: opt(packageMap).describe("Packages installed only to run the tests"),
    extra_repos: loose,
  })
  .strict();

const image = z
  .object({
    entrypoint: opt(str).describe("Entrypoint, split like a shell command line"),
    cmd: opt(str).describe("Default command, split like a shell command line"),
    env: opt(z.array(str)).describe("KEY=value entries"),
    labels: opt(strMap),
    volumes: loose,
    working_dir: opt(str),
    stop_signal: loose,
    base: loose,
    bases: loose,
    post: loose,
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
    no_follow: loose,
    link_target: loose,
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
    dir: loose,
    mounts: loose,
    env: opt(strMap),
    steps: opt(z.array(testStep)),
    files: opt(z.record(z.string(), orEmpty(fileCheck))),
  })
  .strict();

const inlineFile = z
  .object({
    contents: opt(str),
    permissions: opt(mode),
    uid: opt(int),
    gid: opt(int),
  })
  .strict();

const inline = z
  .object({
    file: opt(inlineFile),
    dir: opt(
      z
        .object({
          files: opt(z.record(z.string(), orEmpty(inlineFile))),
          permissions: opt(mode),
          uid: opt(int),
          gid: opt(int),
        })
        .strict(),
    ),
  })
  .strict();

const source = z
  .object({
    inline: opt(inline),
    context: opt(z.object({ name: opt(str) }).strict()),
    git: loose,
    http: loose,
    image: loose,
    docker_image: loose,
    build: loose,
    path: opt(str).describe("Sub-path of the source to keep"),
    includes: opt(z.array(str)),
    excludes: opt(z.array(str)),
    generate: loose,
  })
  .strict();

const buildStep = z
  .object({
    command: str,
    env: opt(strMap),
    mounts: loose,
  })
  .strict();

const target = z
  .object({
    dependencies: opt(dependencies),
    image: opt(image),
    tests: opt(z.array(test)),
    artifacts: loose,
    provides: loose,
    replaces: loose,
    conflicts: loose,
    frontend: loose,
    package_config: loose,
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
    sources: opt(z.record(z.string(), orEmpty(source))),
    build: opt(
      z
        .object({
          env: opt(strMap),
          steps: opt(z.array(buildStep)),
          network_mode: loose,
          caches: loose,
        })
        .strict(),
    ),
    dependencies: opt(dependencies),
    artifacts: opt(artifacts),
    image: opt(image),
    targets: opt(z.record(z.string(), orEmpty(target))),
    tests: opt(z.array(test)),
    patches: loose,
    conflicts: loose,
    replaces: loose,
    provides: loose,
    changelog: loose,
    package_config: loose,
  })
  .strict();

export type SpecInput = z.infer<typeof specSchema>;
export type SourceInput = NonNullable<SpecInput["sources"]>[string];
export type TestInput = NonNullable<SpecInput["tests"]>[number];
export type ImageInput = z.infer<typeof image>;
export type DependenciesInput = z.infer<typeof dependencies>;
export type PackageMap = Record<string, z.infer<typeof depConstraints>>;
export type ArtifactsInput = z.infer<typeof artifacts>;
export type ArtifactConfig = z.infer<typeof artifactConfig>;
export type CheckInput = z.infer<typeof outputCheck>;
export type FileCheckInput = z.infer<typeof fileCheck>;
