// The shape of a Dalec spec as the user wrote it (SpecInput). Every field Dalec knows is listed,
// so an unknown field is an error; fields this version cannot build yet are accepted here and
// rejected by spec/support.ts only when a generated target would need them.
import { z } from "zod";
import { int, mode, opt, orEmpty, str, strMap } from "./scalars.js";


// Sources nest (a build source's own source, a mount's spec, an image base's rootfs): declared
// lazily, so the shapes below can refer to them before they are defined.
export interface SourceShape {
  inline?: z.infer<typeof inline>;
  context?: { name?: string };
  git?: { url: string; commit?: string; checksum?: string; keepGitDir?: boolean; auth?: { header?: string; token?: string; ssh?: string } };
  http?: { url: string; digest?: string; permissions?: number };
  image?: { ref: string; cmd?: CommandInput };
  build?: { source: SourceShape; dockerfile_path?: string; target?: string; args?: Record<string, string> };
  path?: string;
  includes?: string[];
  excludes?: string[];
  generate?: z.infer<typeof generator>[];
}
export interface MountInput {
  dest: string;
  spec: SourceShape;
}
export interface CommandInput {
  dir?: string;
  mounts?: MountInput[];
  env?: Record<string, string>;
  steps: { command: string; env?: Record<string, string>; mounts?: MountInput[] }[];
}
const lazySource: z.ZodType<SourceShape> = z.lazy(() => z.object(sourceShape).strict()) as unknown as z.ZodType<SourceShape>;
const lazyMount: z.ZodType<MountInput> = z.lazy(() => z.object({ dest: str, spec: lazySource }).strict()) as unknown as z.ZodType<MountInput>;

const capability = z
  .object({
    name: str,
    effective: opt(z.boolean()),
    permitted: opt(z.boolean()),
    inheritable: opt(z.boolean()),
  })
  .strict();

const artifactConfig = z
  .object({
    subpath: opt(str).describe("Directory under the artifact kind's install root"),
    name: opt(str).describe("File name to install as (default: the source file's base name)"),
    permissions: opt(mode).describe("File mode, e.g. 0o755"),
    user: opt(str),
    group: opt(str),
    linux_capabilities: opt(z.array(capability)).describe("File capabilities set when the package is installed"),
  })
  .strict();

const dirConfig = z
  .object({ mode: opt(mode), user: opt(str), group: opt(str) })
  .strict();

const artifactMap = z.record(z.string(), orEmpty(artifactConfig));

const artifacts = z
  .object({
    binaries: opt(artifactMap).describe("Installed under /usr/bin"),
    manpages: opt(artifactMap).describe("Installed under /usr/share/man/<section>"),
    docs: opt(artifactMap).describe("Installed under /usr/share/doc/<package>"),
    configFiles: opt(artifactMap).describe("Installed under /etc, marked as conffiles"),
    libexec: opt(artifactMap).describe("Installed under /usr/libexec"),
    data_dirs: opt(artifactMap).describe("Installed under /usr/share"),
    licenses: opt(artifactMap).describe("Installed under /usr/share/doc/<package>"),
    systemd: opt(
      z
        .object({
          units: opt(
            z.record(
              z.string(),
              orEmpty(z.object({ name: opt(str), enable: opt(z.boolean()), start: opt(z.boolean()) }).strict()),
            ),
          ),
          dropins: opt(z.record(z.string(), orEmpty(z.object({ name: opt(str), unit: str }).strict()))),
        })
        .strict(),
    ),
    links: opt(
      z.array(z.object({ source: str, dest: str, user: opt(str), group: opt(str) }).strict()),
    ).describe("Symlinks: dest -> source"),
    headers: opt(artifactMap).describe("Installed under /usr/include"),
    libs: opt(artifactMap).describe("Installed under /usr/lib"),
    createDirectories: opt(
      z
        .object({
          config: opt(z.record(z.string(), orEmpty(dirConfig))).describe("Directories under /etc"),
          state: opt(z.record(z.string(), orEmpty(dirConfig))).describe("Directories under /var/lib"),
        })
        .strict(),
    ),
    users: opt(z.array(z.object({ name: str }).strict())).describe("System users created on install"),
    groups: opt(z.array(z.object({ name: str }).strict())).describe("System groups created on install"),
    disable_strip: opt(z.boolean()),
    disable_auto_requires: opt(z.boolean()),
    opt: opt(artifactMap).describe("Installed under /opt"),
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
    recommends: opt(packageMap).describe("Packages recommended alongside the built package"),
    test: opt(packageMap).describe("Packages installed only to run the tests"),
    extra_repos: opt(z.array(z.record(z.string(), z.unknown()))),
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

const gomodAuth = z
  .object({
    header: opt(str),
    token: opt(str),
    ssh: opt(z.object({ id: opt(str), username: opt(str) }).strict()),
  })
  .strict();

const generator = z
  .object({
    subpath: opt(str),
    gomod: opt(
      z
        .object({
          paths: opt(z.array(str)),
          auth: opt(z.record(z.string(), gomodAuth)),
          edits: opt(
            z
              .object({
                replace: opt(z.array(z.union([str, z.object({ old: str, new: str }).strict()]))),
                drop: opt(z.array(str)),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    cargohome: opt(z.object({ paths: opt(z.array(str)) }).strict()),
    pip: opt(
      z
        .object({
          paths: opt(z.array(str)),
          requirements_file: opt(str),
          index_url: opt(str),
          extra_index_urls: opt(z.array(str)),
        })
        .strict(),
    ),
    nodemod: opt(z.object({ paths: opt(z.array(str)), registry: opt(str) }).strict()),
  })
  .strict();

const buildStepShape = {
  command: str,
  env: opt(strMap),
  mounts: opt(z.array(lazyMount)),
};

const command = z
  .object({
    dir: opt(str),
    mounts: opt(z.array(lazyMount)),
    env: opt(strMap),
    steps: z.array(z.object(buildStepShape).strict()),
  })
  .strict();

const sourceShape = {
  inline: opt(inline),
  context: opt(z.object({ name: opt(str) }).strict()),
  git: opt(
    z
      .object({
        url: str,
        commit: opt(str),
        checksum: opt(str),
        keepGitDir: opt(z.boolean()),
        auth: opt(z.object({ header: opt(str), token: opt(str), ssh: opt(str) }).strict()),
      })
      .strict(),
  ),
  http: opt(z.object({ url: str, digest: opt(str), permissions: opt(mode) }).strict()),
  image: opt(z.object({ ref: str, cmd: opt(command) }).strict()),
  build: opt(
    z
      .object({
        source: orEmpty(lazySource),
        dockerfile_path: opt(str),
        target: opt(str),
        args: opt(strMap),
      })
      .strict(),
  ),
  path: opt(str).describe("Sub-path of the source to keep"),
  includes: opt(z.array(str)),
  excludes: opt(z.array(str)),
  generate: opt(z.array(generator)),
};

const buildStep = z.object(buildStepShape).strict();

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
export type PackageMap = Record<string, z.infer<typeof depConstraints>>;
export type ArtifactsInput = z.infer<typeof artifacts>;
export type ArtifactConfig = z.infer<typeof artifactConfig>;
export type CheckInput = z.infer<typeof outputCheck>;
export type FileCheckInput = z.infer<typeof fileCheck>;
