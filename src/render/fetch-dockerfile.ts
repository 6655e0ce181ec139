// The fetch node of a spec with image or build sources: a Dockerfile of its own (what it runs
// depends on the spec) that lays out each such source under /<source name>/, for the sources
// node to filter and place like any other source. Image sources run their `cmd` steps in the
// image, the source's `path` starting empty as in Dalec; build sources are bake targets of their
// own (the user's Dockerfile), read here as the named context `build-<source name>`; named
// build contexts (the matrix file's `contexts:`) are read as `ctx-<name>`.
import { posix } from "node:path";
import type { ResolvedMount, ResolvedSource } from "../spec/model.js";
import { mountField } from "./library-copy.js";
import { STAMP, exportLines, sq } from "./shell.js";

export type Fetched = Extract<ResolvedSource, { kind: "image" | "build" | "named" }>;

/** JSON-quoted Dockerfile paths and args: nothing a spec writes is read as Dockerfile syntax. */
const q = (s: string) => JSON.stringify(s);

/** `contextRoot`: the folder of the build context mounted as the named context `context`. */
export function renderFetch(sources: readonly Fetched[], contextRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const lines = [`# ${STAMP}`];
  const copies: string[] = [];
  // Stages the commands' inline, http and image mounts are read from, before any that reads them.
  const mountStages: string[] = [];
  const staged = new Map<string, string>(); // each distinct mounted source once, by its JSON
  const stageFor = (from: ResolvedMount["from"], make: (n: number) => string[]): string => {
    const key = JSON.stringify(from);
    let stage = staged.get(key);
    if (!stage) {
      const n = staged.size + 1;
      stage = `fetch-mount-${n}`;
      staged.set(key, stage);
      mountStages.push(`FROM ${from.kind === "image" ? from.ref : "scratch"} AS ${stage}`, ...make(n), "");
    }
    return stage;
  };
  // Inline files sit in the fetch folder under mounts/<N>; COPY gives them Dalec's mode and owner.
  // A file source (inline file, http) is mounted as the file.
  const own = (x: { mode: number; uid: number; gid: number }) => `--chmod=${x.mode.toString(8).padStart(4, "0")}${x.uid || x.gid ? ` --chown=${x.uid}:${x.gid}` : ""}`;
  // Writable, as in Dalec, whose mounts are not read-only; what a step writes there is dropped.
  const bind = (from: string, source: string, dest: string) => `--mount=${["type=bind", `from=${from}`, mountField("source", source), mountField("target", dest), "rw"].join(",")}`;
  const mount = (m: ResolvedMount) => {
    const f = m.from;
    switch (f.kind) {
      case "named":
        return bind(namedContextName(f.context), posix.normalize(`/${f.path}`), m.dest);
      case "git":
        return bind(gitContextName(f.url, f.commit), posix.normalize(f.path).replace(/^\/+/, "") || ".", m.dest);
      case "context":
        return bind("context", posix.relative(contextRoot, posix.normalize(f.path)) || ".", m.dest);
      case "image":
        return bind(stageFor(f, () => []), posix.normalize(`/${f.path}`), m.dest);
      case "http":
        return bind(stageFor(f, () => [`ADD${f.digest ? ` --checksum=${f.digest}` : ""} ${own({ ...f, uid: 0, gid: 0 })} ${q(f.url)} /file`]), "/file", m.dest);
      case "inline-file":
        return bind(
          stageFor(f, (n) => {
            files.set(`fetch/mounts/${n}`, f.contents);
            return [`COPY ${own(f)} mounts/${n} /file`];
          }),
          "/file",
          m.dest,
        );
      case "inline-dir":
        return bind(
          stageFor(f, (n) => {
            for (const file of f.files) files.set(`fetch/mounts/${n}/${file.name}`, file.contents);
            // The folder's owner from a COPY of the whole folder, then each file's mode and owner.
            const dir = f.files.length ? `COPY${f.uid || f.gid ? ` --chown=${f.uid}:${f.gid}` : ""} mounts/${n}/ /dir/` : "WORKDIR /dir";
            return [dir, ...f.files.map((file) => `COPY ${own(file)} ${q(`mounts/${n}/${file.name}`)} ${q(`/dir/${file.name}`)}`)];
          }),
          posix.normalize(`/dir/${f.path}`),
          m.dest,
        );
    }
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
