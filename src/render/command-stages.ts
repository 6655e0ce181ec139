// The stages an image source's command runs in: the image with its steps, and a stage for each
// distinct source its steps mount. Shared by the fetch node (image sources), the prefetch node
// of a build source whose context is what an image's command leaves (prefetch-dockerfile.ts) and
// the image node, whose base may have a command (image-dockerfile.ts).
import { posix } from "node:path";
import { DISTROS } from "../distros.js";
import type { ResolvedCommand, ResolvedSource, StepMount } from "../spec/model.js";
import { patternRules } from "../spec/patterns.js";
import { dockerfileArgs, dockerfileWord } from "./dockerfile-words.js";
import { mountField } from "./library-copy.js";
import { STAMP, exportLines, sq } from "./shell.js";

/** What a filtering stage runs on: the sources node's default tools image (Dockerfile.sources). */
export const TOOLS_IMAGE = DISTROS.bookworm!.image;

/**
 * The RUN of a filtering stage: the folder `mount` binds at /dalec/in laid out in /out/m with
 * lib/sources.sh's filter, as the sources node filters a source. `what` names it in messages;
 * `gitDir`: say so and fail when the folder has no .git (a git context asked for with keepGitDir).
 */
export function filterRun(mount: string, filter: { includes: readonly string[]; excludes: readonly string[] }, what: string, gitDir = ""): string[] {
  const check = gitDir ? `[ -d /dalec/in/.git ] || { echo "dalec-bake: ${gitDir}" >&2; exit 1; }; ` : "";
  return [
    `RUN --network=none ${mount} \\`,
    "    --mount=type=bind,from=lib,source=sources.sh,target=/dalec/lib/sources.sh \\",
    `    OUT=/out bash -c '${check}. /dalec/lib/sources.sh && dalec_filter /dalec/in m . "$1" "$2" "${what}"' sh ${sq(patternRules(filter.includes))} ${sq(patternRules(filter.excludes))}`,
  ];
}

/**
 * A build source's name as a bake target, stage and folder name: a mounted source's
 * (`.dalec-mounts/m<N>`) as `dalec-mounts-m<N>`. bake takes only [A-Za-z0-9_-] in a target's
 * name, and a Dockerfile no space in a stage's: any other name gets those, and a hash of itself.
 */
export function nestedId(name: string): string {
  const id = name.replace(/^\.dalec-mounts\//, "dalec-mounts-");
  if (/^[A-Za-z0-9_-]+$/.test(id)) return id;
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0;
  return `${id.replace(/[^A-Za-z0-9_-]+/g, "_")}-${h.toString(16).padStart(8, "0")}`;
}

/** The bake context a named build context is handed in as. */
export function namedContextName(name: string): string {
  return `ctx-${name}`;
}

/** The named context a git mount reads: bake fetches `<url>#<commit>` itself. */
export function gitContextName(url: string, commit: string): string {
  let h = 0;
  for (const c of `${url}#${commit}`) h = (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0;
  return `git-${h.toString(16).padStart(8, "0")}`;
}

/** Whether a mounted source has includes or excludes (the fetch node then filters it, with lib/). */
export function filtered(s: ResolvedSource): boolean {
  return "includes" in s && s.includes.length + s.excludes.length > 0;
}

export interface ImageStageOptions {
  /**
   * The steps go to the command's dir themselves, so that the stage's config keeps the image's
   * own (an image base, whose config is the image's).
   */
  cdInScript?: boolean;
  /** Step i's `--mount=` flags, in place of its mounts' own stages (mounts laid out elsewhere). */
  stepMounts?: (i: number) => string[];
}

export interface CommandStages {
  /** The `--mount=` a step binds a source with (a stage of its own made first where needed). */
  mount(m: StepMount): string;
  /**
   * An image with its command's steps run in order, as Dalec runs them: `keep` (the source's
   * path) starts empty, each step's mounts and env its own and the command's. `scripts`: the
   * prefix of the step scripts' names in the Dockerfile's folder.
   */
  imageStage(stage: string, ref: string, keep: string, cmd: ResolvedCommand | undefined, scripts: string, opts?: ImageStageOptions): string[];
  /** The mount stages made so far, each followed by a blank line but the last. */
  stages(): string[];
}

/**
 * `files`: where the files the stages copy are added, under `dir` (the Dockerfile's folder, as
 * `files` names it); `prefix`: the stages' names' (the node kind, which is how progress output
 * is attributed); `contextRoot`: the folder of the build context mounted as `context`;
 * `buildStage`: the named context of a mounted build source.
 */
export function commandStages(files: Map<string, string>, dir: string, prefix: string, contextRoot: string, buildStage: (s: Extract<ResolvedSource, { kind: "build" }>) => string): CommandStages {
  const mountStages: string[] = [];
  const staged = new Map<string, string>(); // each distinct mounted source once, by its JSON
  /** The stage for what `key` names (once per distinct key), from `base`, with `make`'s lines. */
  const stageFor = (key: unknown, base: string, make: (n: number, stage: string) => string[]): string => {
    const json = JSON.stringify(key);
    let stage = staged.get(json);
    if (!stage) {
      const n = staged.size + 1;
      stage = `${prefix}-m${n}`;
      staged.set(json, stage);
      // make() first: the stages an image's command mounts go before its own.
      const body = make(n, stage);
      mountStages.push(`FROM ${base} AS ${stage}`, ...body, "");
    }
    return stage;
  };
  // Inline files sit in the folder under mounts/<N>; COPY gives them Dalec's mode and owner.
  // A file source (inline file, http) is mounted as the file.
  // Only the permission bits, as Dalec's files get them (BuildKit's mkfile drops the rest).
  const octal = (mode: number) => mode.toString(8).padStart(4, "0");
  const own = (x: { mode: number; uid: number; gid: number }) => `--chmod=${octal(x.mode & 0o777)}${x.uid || x.gid ? ` --chown=${x.uid}:${x.gid}` : ""}`;
  // Writable, as in Dalec, whose mounts are not read-only; what a step writes there is dropped.
  const bind = (from: string, source: string, dest: string) => `--mount=${["type=bind", `from=${from}`, mountField("source", source), mountField("target", dest), "rw"].join(",")}`;
  const mount = (m: StepMount): string => {
    const f = m.source;
    // BuildKit 0.13 keeps a git context's .git (later ones only when asked): without keepGitDir
    // the filter drops it, as Dalec's git source has none.
    if (f.kind === "git" && !f.keepGitDir) return mount({ ...m, source: { ...f, keepGitDir: true, excludes: [...f.excludes, ".git"] } });
    if (filtered(f) && "includes" in f) {
      // The folder laid out filtered, as the sources node filters a source (lib/sources.sh).
      const source = mount({ ...m, source: { ...f, includes: [], excludes: [] }, dest: "/dalec/in" });
      const stage = stageFor(f, TOOLS_IMAGE, () => filterRun(source, f, "the mounted source"));
      return bind(stage, "/out/m", m.dest);
    }
    switch (f.kind) {
      case "named":
        return bind(namedContextName(f.context), posix.normalize(`/${f.path}`), m.dest);
      case "git":
        return bind(gitContextName(f.url, f.commit), posix.normalize(f.path).replace(/^\/+/, "") || ".", m.dest);
      case "context":
        return bind("context", posix.relative(contextRoot, posix.normalize(f.path)) || ".", m.dest);
      case "image": {
        // With a command, what its steps left at the path is mounted, as in Dalec. Its step
        // scripts go under mounts/, where no source's name can reach (a name has no "/").
        const keep = posix.normalize(`/${f.path}`);
        return bind(stageFor(f, f.ref, (n, stage) => imageStage(stage, f.ref, keep, f.cmd, `mounts/${n}`).slice(1)), keep, m.dest);
      }
      case "http":
        return bind(stageFor(f, "scratch", () => [`ADD${f.digest ? ` --checksum=${f.digest}` : ""} ${own({ ...f, uid: 0, gid: 0 })} ${dockerfileArgs([f.url, "/file"])}`]), "/file", m.dest);
      case "build":
        return bind(buildStage(f), posix.normalize(`/${f.path}`), m.dest);
      case "inline-file":
        return bind(
          stageFor(f, "scratch", (n) => {
            files.set(posix.join(dir, `mounts/${n}`), f.contents);
            return [`COPY ${own(f)} ${dockerfileArgs([`mounts/${n}`, "/file"])}`];
          }),
          "/file",
          m.dest,
        );
      case "inline-dir": {
        // WORKDIR makes the folder 0755, owned by the USER of the stage, but only when a file
        // follows it; any other folder is made by a RUN on the tools image.
        const plain = f.mode === 0o755 && (f.files.length > 0 || !(f.uid || f.gid));
        return bind(
          stageFor(f, plain ? "scratch" : TOOLS_IMAGE, (n) => {
            // Each file copied from a file named by its index (a COPY source is a pattern),
            // with its mode and owner; a COPY leaves the folder it copies into as it is.
            const out = plain
              ? [...(f.uid || f.gid ? [`USER ${f.uid}:${f.gid}`] : []), "WORKDIR /dir"]
              : [`RUN --network=none mkdir /dir && chown ${f.uid}:${f.gid} /dir && chmod ${octal(f.mode & 0o7777)} /dir`];
            f.files.forEach((file, i) => {
              files.set(posix.join(dir, `mounts/${n}/${i + 1}`), file.contents);
              out.push(`COPY ${own(file)} ${dockerfileArgs([`mounts/${n}/${i + 1}`, `/dir/${file.name}`])}`);
            });
            return out;
          }),
          "/dir",
          m.dest,
        );
      }
    }
  };
  function imageStage(stage: string, ref: string, keep: string, cmd: ResolvedCommand | undefined, scripts: string, { cdInScript = false, stepMounts }: ImageStageOptions = {}): string[] {
    const out = [`FROM ${ref} AS ${stage}`];
    if (!cmd) return out;
    if (cmd.dir && !cdInScript) out.push(`WORKDIR ${dockerfileWord(cmd.dir)}`);
    // As BuildKit makes a step's missing working directory (it stays in the root).
    const cd = cmd.dir && cdInScript ? [`mkdir -p ${sq(cmd.dir)} && cd ${sq(cmd.dir)} || exit 1`] : [];
    cmd.steps.forEach((step, i) => {
      const script = `${scripts}-step${i + 1}.sh`;
      // The first step starts the kept path empty: in Dalec it is a fresh mount the steps fill.
      const clear = i === 0 && keep !== "/" ? `rm -rf ${sq(keep)} && mkdir -p ${sq(keep)} && ` : "";
      // The spec author's commands: shellcheck holds them to the author, not to this tool.
      // The command's env and the step's are exported by the script: no Dockerfile quoting.
      files.set(posix.join(dir, script), [`# ${STAMP}`, "# shellcheck shell=sh disable=all", ...exportLines([...cmd.env, ...step.env]), ...cd, step.command.replace(/\n$/, ""), ""].join("\n"));
      const mounts = [`--mount=type=bind,${mountField("source", script)},target=/dalec-step.sh`, ...(stepMounts ? stepMounts(i) : [...cmd.mounts, ...step.mounts].map(mount))];
      out.push(`RUN ${mounts.join(" \\\n    ")} \\\n    ${clear}/bin/sh /dalec-step.sh`);
    });
    return out;
  }
  return { mount, imageStage, stages: () => mountStages.slice(0, -1) };
}
