// sources/sources.sh and the inline files it copies: every source of a spec laid out once, in
// the platform-independent sources node that every distro, arch and variant shares. They sit in
// a folder of their own, the sources node's whole context, so nothing else can invalidate it.
import { posix } from "node:path";
import type { Generator, Patch, ResolvedSource } from "../spec/model.js";
import { patternRegex, patternRules } from "../spec/patterns.js";
import { STAMP, sq } from "./shell.js";

const octal = (m: number) => m.toString(8).padStart(4, "0");
/** An inline file's or folder's mode, and its owner (Dalec's uid and gid) when not root. */
const modeOwner = (x: { mode: number; uid: number; gid: number }) => (x.uid || x.gid ? `${octal(x.mode)}:${x.uid}:${x.gid}` : octal(x.mode));

/**
 * `specFile`: the spec's file name, which messages name with the source's field;
 * `contextRoot`: the folder of the build context that is mounted at /dalec/context;
 * `dockerignore`: the lines of the context's .dockerignore, if it has one.
 */
export function renderSources(
  specFile: string,
  sources: readonly ResolvedSource[],
  patches: readonly Patch[],
  generators: readonly Generator[],
  contextRoot: string,
  dockerignore: readonly string[],
  globalExcludes: readonly string[] = [],
): Map<string, string> {
  const files = new Map<string, string>();
  const lines = [
    "#!/usr/bin/env bash",
    `# ${STAMP}`,
    "# Lays out the spec's sources under $OUT, one entry per source.",
    "# shellcheck disable=SC2016 # a `${VAR}` a spec leaves unsubstituted is passed on as written",
    "set -euo pipefail",
    "OUT=$1",
    "mkdir -p \"$OUT\"",
    "# shellcheck source-path=SCRIPTDIR source=../../../dockerfiles/lib/sources.sh", '. "${DALEC_LIB:-/dalec/lib}/sources.sh"',
  ];
  // Mounted sources sit in a folder of their own (.dalec-mounts/m1, ...).
  for (const dir of new Set(sources.flatMap((s) => (s.name.includes("/") ? [posix.dirname(s.name)] : [])))) lines.push(`mkdir -p "$OUT"/${sq(dir)}`);
  const ignore = sources.some((s) => s.kind === "context") ? dockerignoreRules(dockerignore) : [];
  if (ignore.length) {
    files.set("sources/dockerignore", `${ignore.join("\n")}\n`);
    lines.push(`export DALEC_CONTEXT_ROOT=${sq(contextRoot)}`);
  }
  for (const s of sources) {
    // A source of the spec's own (not one laid out for a mount) is named by its field.
    const field = s.name.includes("/") ? "" : `DALEC_FIELD=${sq(`${specFile}: sources.${s.name}`)} `;
    switch (s.kind) {
      case "inline-file":
        files.set(`sources/inline/${s.name}`, s.contents);
        lines.push(`dalec_inline_file ${sq(s.name)} ${modeOwner(s)}`);
        break;
      case "inline-dir":
        for (const f of s.files) files.set(`sources/inline/${s.name}/${f.name}`, f.contents);
        lines.push([`dalec_inline_dir ${sq(s.name)} ${modeOwner(s)}`, ...s.files.map((f) => `${sq(f.name)} ${modeOwner(f)}`)].join(" \\\n  "));
        break;
      case "context":
        lines.push(`${field}dalec_context ${sq(s.name)} ${sq(posix.relative(contextRoot, posix.normalize(s.path)) || ".")} ${sq(patternRules(s.includes))} ${sq(patternRules(s.excludes))}`);
        break;
      case "http":
        lines.push(`${field}dalec_http ${sq(s.name)} ${sq(s.url)} ${sq(s.digest ?? "-")} ${octal(s.mode)}`);
        break;
      case "image":
      case "build":
      case "named":
        // Laid out under /<name>/ by the spec's fetch node; filtered here like any source.
        lines.push(`${field}dalec_fetched ${sq(s.name)} ${sq(patternRules(s.includes))} ${sq(patternRules(s.excludes))}`);
        break;
      case "git": {
        const slot = s.auth?.kind === "ssh" ? "-" : secretSlots(sources, generators).indexOf(s.auth?.secret ?? "") + 1;
        const auth = s.auth ? `${s.auth.kind} ${sq(s.auth.secret)} ${slot}` : "- - -";
        lines.push(
          `${field}dalec_git ${sq(s.name)} ${sq(s.url)} ${sq(s.commit)} ${s.keepGitDir} ${sq(posix.normalize(s.path))} ${sq(patternRules(s.includes))} ${sq(patternRules(s.excludes))} ${sq(s.checksum ?? "-")} ${auth}`,
        );
        break;
      }
    }
  }
  for (const p of patches) lines.push(`dalec_patch ${sq(p.where)} ${sq(p.target)} ${sq(p.file)} ${p.strip}`);
  lines.push(...generatorLines(generators, secretSlots(sources, generators)));
  lines.push(...refilterLines(generators, globalExcludes));
  files.set("sources/sources.sh", `${lines.join("\n")}\n`);
  return files;
}

/**
 * .dockerignore lines as rules for dalec_ignored: `+REGEX` excludes, `!REGEX` is an exception;
 * comments and blank lines dropped, paths cleaned as Docker cleans them.
 */
export function dockerignoreRules(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    const pattern = posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+/, "");
    if (!pattern || pattern === ".") continue;
    out.push(`${negate ? "!" : "+"}${patternRegex(pattern)}`);
  }
  return out;
}

/** Debian packages each generator runs (the tools image is the newest Debian, for its toolchains). */
const TOOLS: Record<Generator["kind"], string[]> = {
  gomod: ["golang-go", "git"],
  cargohome: ["cargo"],
  pip: ["python3-pip"],
  nodemod: ["npm"],
};

/** `slots`: the secret names in slot order (secretSlots), for gomod auth. */
function generatorLines(generators: readonly Generator[], slots: readonly string[]): string[] {
  if (!generators.length) return [];
  const tools = [...new Set(generators.flatMap((g) => TOOLS[g.kind]))].sort();
  const lines = ["# Dependency generators, as Dalec runs them after patches.", `dalec_tools ${tools.join(" ")}`];
  for (const g of generators) {
    for (const path of g.paths) {
      const at = `${sq(g.where)} ${sq(g.source)} ${sq(g.subpath || ".")} ${sq(path)}`;
      switch (g.kind) {
        case "gomod": {
          // Each private host: --auth=KIND,HOST,SLOT,USER,SECRET (the secret's name, for messages).
          const auth = g.auth.map((a) => `--auth=${a.kind},${a.host},${a.kind === "ssh" ? "-" : slots.indexOf(a.secret) + 1},${a.kind === "ssh" ? a.username : "-"},${a.secret}`);
          const edits = [...auth, ...g.replace.map(([o, n]) => `-replace=${o}=${n}`), ...g.drop.map((d) => `-droprequire=${d}`)];
          lines.push(`dalec_gomod ${at}${edits.map((e) => ` ${sq(e)}`).join("")}`);
          break;
        }
        case "cargohome":
          lines.push(`dalec_cargohome ${at}`);
          break;
        case "pip": {
          const idx = [...(g.indexUrl ? [`--index-url=${g.indexUrl}`] : []), ...g.extraIndexUrls.map((u) => `--extra-index-url=${u}`)];
          lines.push(`dalec_pip ${at} ${sq(g.requirements)}${idx.map((e) => ` ${sq(e)}`).join("")}`);
          break;
        }
        case "nodemod":
          lines.push(`dalec_nodemod ${at}${g.registry ? ` ${sq(`--registry=${g.registry}`)}` : ""}`);
          break;
      }
    }
  }
  return lines;
}

/** Where each generator leaves what it made, in the sources node's output (as lib/sources.sh names them). */
export const GENERATED: Record<Exclude<Generator["kind"], "nodemod">, string> = { gomod: "__gomods", cargohome: "__cargohome", pip: "__pipdeps" };

/**
 * The source filter's excludes on what the generators made (the module, crate and pip caches;
 * a source with its node_modules), as Dalec filters their output.
 */
function refilterLines(generators: readonly Generator[], excludes: readonly string[]): string[] {
  if (!generators.length || !excludes.length) return [];
  const made = [...new Set(generators.map((g) => (g.kind === "nodemod" ? g.source : GENERATED[g.kind])))];
  return ["# The source filter's excludes on what the generators made.", ...made.map((name) => `dalec_refilter ${sq(name)} ${sq(patternRules(excludes))}`)];
}

/** The library's sources node mounts this many secrets (dalec-secret-1..N). */
export const SECRET_SLOTS = 4;

/**
 * The spec's git auth secret names (git sources, then gomod auth), each once, in order: slot
 * i + 1 holds secret i.
 */
export function secretSlots(sources: readonly ResolvedSource[], generators: readonly Generator[]): string[] {
  const names = [
    ...sources.flatMap((s) => (s.kind === "git" && s.auth && s.auth.kind !== "ssh" ? [s.auth.secret] : [])),
    ...generators.flatMap((g) => (g.kind === "gomod" ? g.auth.filter((a) => a.kind !== "ssh").map((a) => a.secret) : [])),
  ];
  return [...new Set(names)];
}

/** Whether a git source or a gomod generator authenticates with ssh: the sources node then forwards the user's agent. */
export function usesSsh(sources: readonly ResolvedSource[], generators: readonly Generator[]): boolean {
  return sources.some((s) => s.kind === "git" && s.auth?.kind === "ssh") || generators.some((g) => g.kind === "gomod" && g.auth.some((a) => a.kind === "ssh"));
}
