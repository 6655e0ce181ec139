// The fetch node of a spec with image or build sources: a Dockerfile of its own (what it runs
// depends on the spec) that lays out each such source under /<source name>/, for the sources
// node to filter and place like any other source. Image sources run their `cmd` steps in the
// image, the source's `path` starting empty as in Dalec; build sources are bake targets of their
// own (the user's Dockerfile), read here as the named context `build-<source name>`; named
// build contexts (the matrix file's `contexts:`) are read as `ctx-<name>`.
import { posix } from "node:path";
import type { ResolvedCommand, ResolvedSource, StepMount } from "../spec/model.js";
import { dockerfileArgs, dockerfileWord } from "./dockerfile-words.js";
import { mountField } from "./library-copy.js";
import type { ContextUse } from "./mounted-sources.js";
import { STAMP, exportLines, sq } from "./shell.js";
import { TOOLS_IMAGE, filterRun, renderPrefetch } from "./prefetch-dockerfile.js";


export type Fetched = Extract<ResolvedSource, { kind: "image" | "build" | "named" }>;


/** `contextRoot`: the folder of the build context mounted as the named context `context`. */
export function renderFetch(sources: readonly Fetched[], contextRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const lines = [`# ${STAMP}`];
  // The build sources commands mount: nested builds of their own, read as named contexts.
  const builds = mountedBuildsByMount(sources);
  for (const b of builds.values()) nestedFiles(b);
  const copies: string[] = [];
  // An inline Dockerfile (and files) a nested build reads: its build context in the fetch folder.
  function nestedFiles(b: Extract<Fetched, { kind: "build" }>) {
    if (b.from.kind === "inline") for (const f of b.from.files) files.set(`fetch/nested-${nestedId(b.name)}/${f.name}`, f.contents);
    // A context bake cannot take as it is: the prefetch node's Dockerfile lays it out first.
    const prefetch = renderPrefetch(b.from, b.dockerfile);
    if (prefetch) files.set(`fetch/prefetch-${nestedId(b.name)}/Dockerfile`, prefetch);
  }
  // Stages the commands' inline, http and image mounts are read from, before any that reads them.
  const mountStages: string[] = [];
  const staged = new Map<string, string>(); // each distinct mounted source once, by its JSON
  /** The stage for what `key` names (once per distinct key), from `base`, with `make`'s lines. */
  const stageFor = (key: unknown, base: string, make: (n: number, stage: string) => string[]): string => {
    const json = JSON.stringify(key);
    let stage = staged.get(json);
    if (!stage) {
      const n = staged.size + 1;
      // fetch-m<N>: a stage named <kind>-<word> is attributed to the fetch node in progress output.
      stage = `fetch-m${n}`;
      staged.set(json, stage);
      // make() first: the stages an image's command mounts go before its own.
      const body = make(n, stage);
      mountStages.push(`FROM ${base} AS ${stage}`, ...body, "");
    }
    return stage;
  };
  // Inline files sit in the fetch folder under mounts/<N>; COPY gives them Dalec's mode and owner.
  // A file source (inline file, http) is mounted as the file.
  // Only the permission bits, as Dalec's files get them (BuildKit's mkfile drops the rest).
  const own = (x: { mode: number; uid: number; gid: number }) => `--chmod=${(x.mode & 0o777).toString(8).padStart(4, "0")}${x.uid || x.gid ? ` --chown=${x.uid}:${x.gid}` : ""}`;
  // Writable, as in Dalec, whose mounts are not read-only; what a step writes there is dropped.
  const bind = (from: string, source: string, dest: string) => `--mount=${["type=bind", `from=${from}`, mountField("source", source), mountField("target", dest), "rw"].join(",")}`;
  const mount = (m: StepMount): string => {
    const f = m.source;
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
        // With a command, what its steps left at the path is mounted, as in Dalec.
        const keep = posix.normalize(`/${f.path}`);
        return bind(stageFor(f, f.ref, (n, stage) => imageStage(stage, f.ref, keep, f.cmd, `mounts/${n}`).slice(1)), keep, m.dest);
      }
      case "http":
        return bind(stageFor(f, "scratch", () => [`ADD${f.digest ? ` --checksum=${f.digest}` : ""} ${own({ ...f, uid: 0, gid: 0 })} ${dockerfileArgs([f.url, "/file"])}`]), "/file", m.dest);
      case "build":
        return bind(`build-${nestedId(builds.get(JSON.stringify(f))!.name)}`, posix.normalize(`/${f.path}`), m.dest);
      case "inline-file":
        return bind(
          stageFor(f, "scratch", (n) => {
            files.set(`fetch/mounts/${n}`, f.contents);
            return [`COPY ${own(f)} ${dockerfileArgs([`mounts/${n}`, "/file"])}`];
          }),
          "/file",
          m.dest,
        );
      case "inline-dir":
        return bind(
          stageFor(f, "scratch", (n) => {
            // The folder made by WORKDIR, owned by the USER of the stage; each file copied from
            // a file named by its index (a COPY source is a pattern), with its mode and owner.
            const out = [...(f.uid || f.gid ? [`USER ${f.uid}:${f.gid}`] : []), "WORKDIR /dir"];
            f.files.forEach((file, i) => {
              files.set(`fetch/mounts/${n}/${i + 1}`, file.contents);
              out.push(`COPY ${own(file)} ${dockerfileArgs([`mounts/${n}/${i + 1}`, `/dir/${file.name}`])}`);
            });
            return out;
          }),
          "/dir",
          m.dest,
        );
    }
  };
  /**
   * An image with its command's steps run in order, as Dalec runs them: `keep` (the source's
   * path) starts empty, each step's mounts and env its own and the command's. `scripts`: the
   * prefix of the step scripts' names in the fetch folder (a mounted image's under mounts/, where
   * no source's name can reach: a name has no "/").
   */
  function imageStage(stage: string, ref: string, keep: string, cmd: ResolvedCommand | undefined, scripts: string): string[] {
    const out = [`FROM ${ref} AS ${stage}`];
    if (!cmd) return out;
    if (cmd.dir) out.push(`WORKDIR ${dockerfileWord(cmd.dir)}`);
    cmd.steps.forEach((step, i) => {
      const script = `${scripts}-step${i + 1}.sh`;
      // The first step starts the kept path empty: in Dalec it is a fresh mount the steps fill.
      const clear = i === 0 && keep !== "/" ? `rm -rf ${sq(keep)} && mkdir -p ${sq(keep)} && ` : "";
      // The spec author's commands: shellcheck holds them to the author, not to this tool.
      // The command's env and the step's are exported by the script: no Dockerfile quoting.
      files.set(`fetch/${script}`, [`# ${STAMP}`, "# shellcheck shell=sh disable=all", ...exportLines([...cmd.env, ...step.env]), step.command.replace(/\n$/, ""), ""].join("\n"));
      const mounts = [`--mount=type=bind,${mountField("source", script)},target=/dalec-step.sh`, ...[...cmd.mounts, ...step.mounts].map(mount)];
      out.push(`RUN ${mounts.join(" \\\n    ")} \\\n    ${clear}/bin/sh /dalec-step.sh`);
    });
    return out;
  }

  let stages = 0;
  for (const s of sources) {
    const keep = s.path === "" ? "/" : s.path;
    if (s.kind === "named") {
      copies.push(`COPY --from=${namedContextName(s.context)} ${dockerfileArgs([posix.normalize(`/${s.path}`), `/${s.name}/`])}`);
      continue;
    }
    if (s.kind === "build") {
      copies.push(`COPY --from=build-${nestedId(s.name)} ${dockerfileArgs([keep, `/${s.name}/`])}`);
      nestedFiles(s);
      continue;
    }
    // Stages are numbered (source names need not be valid stage names) and named after the
    // node kind, which is how progress output is attributed to the fetch node.
    const stage = `fetch-${++stages}`;
    lines.push("", `# image source "${s.name.replace(/\n/g, " ")}"`, ...imageStage(stage, s.ref, keep, s.cmd, s.name));
    copies.push(`COPY --from=${stage} ${dockerfileArgs([keep, `/${s.name}/`])}`);
  }
  lines.push("", "FROM scratch", ...copies);
  if (mountStages.length) lines.splice(1, 0, "", ...mountStages.slice(0, -1));
  files.set("fetch/Dockerfile", `${lines.join("\n")}\n`);
  return files;
}

/**
 * A build source's name as a bake target, stage and folder name: a mounted source's
 * (`.dalec-mounts/m<N>`) as `dalec-mounts-m<N>`.
 */
export function nestedId(name: string): string {
  return name.replace(/^\.dalec-mounts\//, "dalec-mounts-");
}

/** The bake context a named build context is handed in as. */
export function namedContextName(name: string): string {
  return `ctx-${name}`;
}

/** Whether a mounted source has includes or excludes (the fetch node then filters it, with lib/). */
export function filtered(s: ResolvedSource): boolean {
  return "includes" in s && s.includes.length + s.excludes.length > 0;
}

/** Every mount of an image source's command, and of the commands of images it mounts, with the image source's name. */
export function commandMounts(sources: readonly Fetched[]): { mount: StepMount; owner: string }[] {
  const out: { mount: StepMount; owner: string }[] = [];
  const walk = (cmd: ResolvedCommand | undefined, owner: string) => {
    for (const mount of [...(cmd?.mounts ?? []), ...(cmd?.steps ?? []).flatMap((st) => st.mounts)]) {
      out.push({ mount, owner });
      if (mount.source.kind === "image") walk(mount.source.cmd, owner);
    }
  };
  for (const s of sources) if (s.kind === "image") walk(s.cmd, s.name);
  return out;
}

/**
 * The build sources commands mount, each distinct one once, as nested builds of their own
 * (named `.dalec-mounts/c<N>`, as mounted sources are `.dalec-mounts/m<N>`).
 */
export function mountedBuilds(sources: readonly Fetched[]): Extract<Fetched, { kind: "build" }>[] {
  return [...mountedBuildsByMount(sources).values()];
}

/** The same, by the JSON of the mounted source. */
function mountedBuildsByMount(sources: readonly Fetched[]): Map<string, Extract<Fetched, { kind: "build" }>> {
  const out = new Map<string, Extract<Fetched, { kind: "build" }>>();
  for (const { mount } of commandMounts(sources)) {
    const key = JSON.stringify(mount.source);
    if (mount.source.kind === "build" && !out.has(key)) out.set(key, { ...mount.source, name: `.dalec-mounts/c${out.size + 1}` });
  }
  return out;
}

/** The named build contexts the fetch node reads, each once, sorted. */
export function namedContexts(sources: readonly Fetched[]): string[] {
  const names = [
    ...sources.flatMap((s) => (s.kind === "named" ? [s.context] : [])),
    ...commandMounts(sources).flatMap(({ mount: m }) => (m.source.kind === "named" ? [m.source.context] : [])),
  ];
  return [...new Set(names)].sort();
}

/** The named context a git mount reads: bake fetches `<url>#<commit>` itself. */
export function gitContextName(url: string, commit: string): string {
  let h = 0;
  for (const c of `${url}#${commit}`) h = (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0;
  return `git-${h.toString(16).padStart(8, "0")}`;
}

/** Every git commit the fetch node's commands mount, as bake named contexts. */
export function gitMounts(sources: readonly Fetched[]): [string, string][] {
  const out = new Map<string, string>();
  for (const { mount: m } of commandMounts(sources)) {
    if (m.source.kind === "git") out.set(gitContextName(m.source.url, m.source.commit), `${m.source.url}#${m.source.commit}`);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Every path of the build context the fetch node reads: command mounts and build sources. */
export function fetchUses(sources: readonly Fetched[]): ContextUse[] {
  const own = sources.flatMap((s): ContextUse[] =>
    s.kind === "build" && s.from.kind === "context" ? [{ path: s.from.path, at: ["sources", s.name, "build", "source"], label: `build source "${s.name}"` }] : [],
  );
  // What commands mount: a path of the context, or a build whose Dockerfile is in the context.
  const mounted = commandMounts(sources).flatMap(({ mount: m, owner }): ContextUse[] => {
    const at = ["sources", owner, "image"];
    if (m.source.kind === "context") return [{ path: m.source.path, at, label: `image source "${owner}" mount ${m.dest}` }];
    if (m.source.kind === "build" && m.source.from.kind === "context") return [{ path: m.source.from.path, at, label: `image source "${owner}" mount ${m.dest}` }];
    return [];
  });
  return [...own, ...mounted];
}
