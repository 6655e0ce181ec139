// What a spec's sources resolve to: its own, what build steps, tests and image commands mount,
// and extra repos' files. Part of spec/model.ts (which re-exports these).
import type { Location } from "../errors.js";
import type { Path } from "../yaml/read.js";

export type ResolvedSource =
  | { name: string; kind: "inline-file"; contents: string; mode: number; uid: number; gid: number }
  | {
      name: string;
      kind: "inline-dir";
      mode: number;
      uid: number;
      gid: number;
      /** The files its `path` and `includes`/`excludes` keep. */
      files: { name: string; contents: string; mode: number; uid: number; gid: number }[];
    }
  | { name: string; kind: "context"; path: string; includes: string[]; excludes: string[] }
  /** A named build context (the matrix file's `contexts:`), read by the spec's fetch node. */
  | { name: string; kind: "named"; context: string; path: string; includes: string[]; excludes: string[] }
  | { name: string; kind: "http"; url: string; digest: string | undefined; mode: number }
  | {
      name: string;
      kind: "git";
      url: string;
      commit: string;
      /** The commit hash the checkout must have (git.checksum). */
      checksum: string | undefined;
      /**
       * An HTTP auth secret: its name (a bake secret id, read from the environment variable of
       * that name); or the ssh ID of the spec (`auth.ssh`), served by the user's ssh agent.
       */
      auth: { kind: "token" | "header" | "ssh"; secret: string } | undefined;
      keepGitDir: boolean;
      path: string;
      includes: string[];
      excludes: string[];
    }
  | { name: string; kind: "image"; ref: string; path: string; includes: string[]; excludes: string[]; cmd: ResolvedCommand | undefined }
  | { name: string; kind: "build"; path: string; includes: string[]; excludes: string[]; from: BuildFrom; dockerfile: string; target: string | undefined; args: [string, string][] };

/** Where an extra repo's file or folder comes from: written inline, or a path of the build context. */
export type RepoSource = ResolvedSource & {
  /** Where the spec names it, for messages. */
  at: (string | number)[];
};

export type RepoEnv = "build" | "install" | "test";

/** dependencies.extra_repos: present, as mounts, only in the steps its envs name. */
export interface ResolvedRepo {
  /** Repository config files by name (an apt source list or a yum repo file). */
  config: [string, RepoSource][];
  /** Signing keys by file name. */
  keys: [string, RepoSource][];
  /** Mounted at dest, where the config points (a local repository). */
  data: { dest: string; source: RepoSource }[];
  envs: RepoEnv[];
}

/** A source a build step, a test or an image command mounts at `dest` (its name is "": the renderer names it). */
export interface StepMount {
  dest: string;
  source: ResolvedSource;
  /** Where the spec writes the mount's source (`...mounts[i].spec`), for messages. */
  at: Path;
  where: Location;
}

/** An image source's `cmd`: steps run with /bin/sh -c in the image, in order. */
export interface ResolvedCommand {
  dir: string | undefined;
  env: [string, string][];
  mounts: StepMount[];
  steps: { command: string; env: [string, string][]; mounts: StepMount[] }[];
}

/**
 * A build source's own source's includes/excludes: bake filters no build context, so a prefetch
 * node lays the filtered folder out first.
 */
export interface Filter {
  includes: string[];
  excludes: string[];
}

/** Where a build source's Dockerfile and its context come from. */
export type BuildFrom =
  | { kind: "context"; path: string; filter?: Filter }
  | { kind: "named"; context: string; path: string; filter?: Filter }
  /** `path`: the folder of the checkout that is the context ("." for all of it). */
  | {
      kind: "git";
      url: string;
      commit: string;
      path: string;
      keepGitDir: boolean;
      filter?: Filter;
      /**
       * Read by BuildKit's git source from the secret GIT_AUTH_TOKEN.<host> or GIT_AUTH_HEADER.<host>,
       * or (ssh) from the ssh agent forwarded as the ssh id "default".
       */
      auth: { kind: "token" | "header" | "ssh"; secret: string; where: Location } | undefined;
    }
  /**
   * An image's `path` (what its command leaves there): bake takes no main context from an image,
   * so a prefetch node exports it to a folder first (graph/fetch-blocks.ts), in an earlier bake
   * invocation.
   */
  | { kind: "image"; ref: string; path: string; filter?: Filter; cmd?: ResolvedCommand }
  /**
   * The downloaded file is the Dockerfile, as Dalec names an http file source after it. bake
   * downloads an http context unchecked: with a digest, a prefetch node downloads it instead.
   */
  | { kind: "http"; url: string; digest: string | undefined }
  | { kind: "inline"; files: { name: string; contents: string }[] };
