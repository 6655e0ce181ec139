// The shape of a Dalec source as the user wrote it: every variant (inline, context, git, http,
// image, build), its filters and generators. Sources nest (a build source's own source, a
// mount's spec, an image base's rootfs), so they are declared lazily.
import { z } from "zod";
import { int, mode, opt, orEmpty, str, strMap } from "./scalars.js";

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
export const lazySource: z.ZodType<SourceShape> = z.lazy(() => z.object(sourceShape).strict()) as unknown as z.ZodType<SourceShape>;
export const lazyMount: z.ZodType<MountInput> = z.lazy(() => z.object({ dest: str, spec: lazySource }).strict()) as unknown as z.ZodType<MountInput>;

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

export const buildStep = z.object(buildStepShape).strict();
