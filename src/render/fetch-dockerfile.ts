// The fetch node of a spec with image or build sources: a Dockerfile of its own (what it runs
// depends on the spec) that lays out each such source under /<source name>/, for the sources
// node to filter and place like any other source. Image sources run their `cmd` steps in the
// image, the source's `path` starting empty as in Dalec; build sources are bake targets of their
// own (the user's Dockerfile), read here as the named context `build-<source name>`; named
// build contexts (the matrix file's `contexts:`) are read as `ctx-<name>`.
import { posix } from "node:path";
import type { ResolvedMount, ResolvedSource } from "../spec/model.js";
import { STAMP, exportLines, sq } from "./shell.js";

export type Fetched = Extract<ResolvedSource, { kind: "image" | "build" | "named" }>;

/** JSON-quoted Dockerfile paths and args: nothing a spec writes is read as Dockerfile syntax. */
const q = (s: string) => JSON.stringify(s);

/** `contextRoot`: the folder of the build context mounted as the named context `context`. */
export function renderFetch(sources: readonly Fetched[], contextRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const lines = [`# ${STAMP}`];
  const copies: string[] = [];
  const mount = (m: ResolvedMount) => {
    if (m.from.kind === "named") {
      return `--mount=type=bind,from=${namedContextName(m.from.context)},source=${q(posix.normalize(`/${m.from.path}`))},target=${q(m.dest)}`;
    }
    if (m.from.kind === "git") {
      const source = posix.normalize(m.from.path).replace(/^\/+/, "") || ".";
      return `--mount=type=bind,from=${gitContextName(m.from.url, m.from.commit)},source=${q(source)},target=${q(m.dest)}`;
    }
    return `--mount=type=bind,from=context,source=${q(posix.relative(contextRoot, posix.normalize(m.from.path)) || ".")},target=${q(m.dest)}`;
  };
  let stages = 0;
  for (const s of sources) {
    const keep = s.path === "" ? "/" : s.path;
    if (s.kind === "named") {
      copies.push(`COPY --from=${namedContextName(s.context)} ${q(posix.normalize(`/${s.path}`))} ${q(`/${s.name}/`)}`);
      continue;
    }
    if (s.kind === "build") {
      copies.push(`COPY --from=build-${nestedId(s.name)} ${q(keep)} ${q(`/${s.name}/`)}`);
      if (s.from.kind === "inline") for (const f of s.from.files) files.set(`fetch/nested-${nestedId(s.name)}/${f.name}`, f.contents);
      continue;
    }
    // Stages are numbered (source names need not be valid stage names) and named after the
    // node kind, which is how progress output is attributed to the fetch node.
    const stage = `fetch-${++stages}`;
    lines.push("", `# image source "${s.name.replace(/\n/g, " ")}"`, `FROM ${s.ref} AS ${stage}`);
    if (s.cmd) {
      for (const [k, v] of s.cmd.env) lines.push(`ENV ${k}=${q(v)}`);
      if (s.cmd.dir) lines.push(`WORKDIR ${q(s.cmd.dir)}`);
      s.cmd.steps.forEach((step, i) => {
        const script = `${s.name}-step${i + 1}.sh`;
        // The first step starts the kept path empty: in Dalec it is a fresh mount the steps fill.
        const clear = i === 0 && keep !== "/" ? `rm -rf ${sq(keep)} && mkdir -p ${sq(keep)} && ` : "";
        // The spec author's commands: shellcheck holds them to the author, not to this tool.
        files.set(`fetch/${script}`, [`# ${STAMP}`, "# shellcheck shell=sh disable=all", ...exportLines(step.env), step.command.replace(/\n$/, ""), ""].join("\n"));
        const mounts = [`--mount=type=bind,source=${script},target=/dalec-step.sh`, ...[...s.cmd!.mounts, ...step.mounts].map(mount)];
        lines.push(`RUN ${mounts.join(" \\\n    ")} \\\n    ${clear}/bin/sh /dalec-step.sh`);
      });
    }
    copies.push(`COPY --from=${stage} ${q(keep)} ${q(`/${s.name}/`)}`);
  }
  lines.push("", "FROM scratch", ...copies);
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

/** The named build contexts the fetch node reads, each once, sorted. */
export function namedContexts(sources: readonly Fetched[]): string[] {
  const names = sources.flatMap((s) => {
    if (s.kind === "named") return [s.context];
    if (s.kind !== "image") return [];
    return [...(s.cmd?.mounts ?? []), ...(s.cmd?.steps ?? []).flatMap((st) => st.mounts)].flatMap((m) => (m.from.kind === "named" ? [m.from.context] : []));
  });
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
  for (const s of sources) {
    if (s.kind !== "image") continue;
    for (const m of [...(s.cmd?.mounts ?? []), ...(s.cmd?.steps ?? []).flatMap((st) => st.mounts)]) {
      if (m.from.kind === "git") out.set(gitContextName(m.from.url, m.from.commit), `${m.from.url}#${m.from.commit}`);
    }
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1));
}
