// The fetch node of a spec with image or build sources: a Dockerfile of its own (what it runs
// depends on the spec) that lays out each such source under /<source name>/, for the sources
// node to filter and place like any other source. Image sources run their `cmd` steps in the
// image, the source's `path` starting empty as in Dalec; build sources are bake targets of their
// own (the user's Dockerfile), read here as the named context `build-<source name>`; named
// build contexts (the matrix file's `contexts:`) are read as `ctx-<name>`.
import { posix } from "node:path";
import type { ResolvedCommand, ResolvedSource, StepMount } from "../spec/model.js";
import { commandStages, filtered, gitContextName, namedContextName, nestedId } from "./command-stages.js";
import { dockerfileArgs } from "./dockerfile-words.js";
import type { ContextUse } from "./mounted-sources.js";
import { renderPrefetch } from "./prefetch-dockerfile.js";
import { STAMP } from "./shell.js";


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
    for (const [path, content] of renderPrefetch(b.from, b.dockerfile, contextRoot)) files.set(`fetch/prefetch-${nestedId(b.name)}/${path}`, content);
  }
  // Stages the commands' inline, http and image mounts are read from, before any that reads them.
  // fetch-m<N>: a stage named <kind>-<word> is attributed to the fetch node in progress output.
  const { imageStage, stages: mountStages } = commandStages(files, "fetch", "fetch", contextRoot, (f) => `build-${nestedId(builds.get(JSON.stringify(f))!.name)}`);

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
  const made = mountStages();
  if (made.length) lines.splice(1, 0, "", ...made);
  files.set("fetch/Dockerfile", `${lines.join("\n")}\n`);
  return files;
}

/**
 * Every mount of a command: an image source's, a build source's image's (its context is what the
 * command leaves), and those of the commands of images they mount; with the source's name, and
 * where and how the spec names the command, for messages.
 */
export function commandMounts(sources: readonly Fetched[]): { mount: StepMount; owner: string; at: string[]; what: string }[] {
  const out: { mount: StepMount; owner: string; at: string[]; what: string }[] = [];
  const walk = (cmd: ResolvedCommand | undefined, owner: string, at: string[], what: string) => {
    for (const mount of [...(cmd?.mounts ?? []), ...(cmd?.steps ?? []).flatMap((st) => st.mounts)]) {
      out.push({ mount, owner, at, what });
      const m = mount.source;
      if (m.kind === "image") walk(m.cmd, owner, at, what);
      if (m.kind === "build" && m.from.kind === "image") walk(m.from.cmd, owner, at, what);
    }
  };
  for (const s of sources) {
    if (s.kind === "image") walk(s.cmd, s.name, ["sources", s.name, "image"], `image source "${s.name}"`);
    if (s.kind === "build" && s.from.kind === "image") walk(s.from.cmd, s.name, ["sources", s.name, "build", "source", "image"], `build source "${s.name}"'s image`);
  }
  return out;
}

/**
 * Whether a command mounts a filtered source, or a git commit without its .git (filtered out):
 * its stage reads lib/sources.sh's filter.
 */
export function filtersMounts(sources: readonly Fetched[]): boolean {
  return commandMounts(sources).some(({ mount: { source: s } }) => filtered(s) || (s.kind === "git" && !s.keepGitDir));
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
  const mounted = commandMounts(sources).flatMap(({ mount: m, at, what }): ContextUse[] => {
    if (m.source.kind === "context") return [{ path: m.source.path, at, label: `${what} mount ${m.dest}` }];
    if (m.source.kind === "build" && m.source.from.kind === "context") return [{ path: m.source.from.path, at, label: `${what} mount ${m.dest}` }];
    return [];
  });
  return [...own, ...mounted];
}
