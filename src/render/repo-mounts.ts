// The extra repos of one step (installing build deps, the package, or test deps) as RUN mounts
// at the places Dalec mounts them: config files in the package manager's config folder (with its
// extension added when missing), keys in its key folder as they are (apt picks the format by the
// `.asc`/`.gpg` name; rpm imports armored keys), data at its dest. Mounts leave nothing behind,
// so the repos are in that step only, never in a node's result or the user's image. A source a
// bind mount cannot take as it is (git, image, filtered) is laid out by the sources node.
import { dockerfileArgs } from "./dockerfile-words.js";
import { posix } from "node:path";
import type { Distro } from "../distros.js";
import type { RepoEnv, RepoSource, ResolvedRepo } from "../spec/model.js";
import { namedContextName } from "./command-stages.js";
import { mountField } from "./library-copy.js";
import { sq } from "./shell.js";

interface RepoPlatform {
  configRoot: string;
  configExt: string;
  keyRoot: string;
}

// Dalec's RepoPlatformConfig of each family.
const PLATFORMS: Record<Distro["family"], RepoPlatform> = {
  debian: { configRoot: "/etc/apt/sources.list.d", configExt: ".list", keyRoot: "/usr/share/keyrings" },
  rpm: { configRoot: "/etc/yum.repos.d", configExt: ".repo", keyRoot: "/etc/pki/rpm-gpg" },
};

/** The named context holding the part of the build context the repos' context sources read. */
export const REPOS_CONTEXT = "repos";

export interface RepoStep {
  /** Inline sources, written into the node's own folder: path in the folder -> content. */
  files: [string, string][];
  /** Dockerfile stages the step mounts from, before its own: http sources, downloaded by ADD. */
  stages: string[];
  /** `--mount=...` flags of the step's RUN. */
  mounts: string[];
  /** Keys rpm imports before dnf runs (RPM family; apt reads keys where they are mounted). */
  rpmKeys: string[];
  /** Whether a mount reads the build context (the named context `repos`). */
  readsContext: boolean;
  /** The matrix file's named contexts the mounts read (bake contexts `ctx-<name>`). */
  namedContexts: string[];
  /** Whether a mount reads what the sources node laid out (the context `sources`). */
  readsSources: boolean;
}

/** Whether the sources node lays the source out for the steps that mount it. */
export function laidOutBySources(src: RepoSource): boolean {
  if (src.kind === "inline-file" || src.kind === "inline-dir" || src.kind === "http") return false;
  if (src.kind === "context" || src.kind === "named") return src.includes.length > 0 || src.excludes.length > 0;
  return true;
}

/** Where the sources node laid out a source laidOutBySources names. */
export type LaidOut = (src: RepoSource) => string;

/**
 * `contextRoot`: the folder of the build context the `repos` context is. Each repo's inline
 * files sit under `repos/<its index in the spec>/`, so a repo has the same files in every step.
 */
export function repoStep(repos: readonly ResolvedRepo[], env: RepoEnv, family: Distro["family"], contextRoot: string, laidOut: LaidOut): RepoStep {
  const p = PLATFORMS[family];
  const step: RepoStep = { files: [], stages: [], mounts: [], rpmKeys: [], readsContext: false, namedContexts: [], readsSources: false };
  let downloads = 0;
  const mount = (src: RepoSource, dir: string, target: string) => {
    let fields: [string, string][];
    if (laidOutBySources(src)) {
      step.readsSources = true;
      fields = [["from", "sources"], ["source", laidOut(src)]];
    } else if (src.kind === "context") {
      step.readsContext = true;
      fields = [["from", REPOS_CONTEXT], ["source", posix.relative(contextRoot, posix.normalize(src.path)) || "."]];
    } else if (src.kind === "named") {
      if (!step.namedContexts.includes(src.context)) step.namedContexts.push(src.context);
      fields = [["from", namedContextName(src.context)], ["source", posix.normalize(src.path)]];
    } else if (src.kind === "http") {
      // BuildKit downloads it, checking the digest; readable by all, as apt reads keys as _apt.
      const stage = `repo-download-${++downloads}`;
      const checksum = src.digest ? ` --checksum=${src.digest}` : "";
      step.stages.push(`FROM scratch AS ${stage}`, `ADD${checksum} --chmod=${(src.mode | 0o444).toString(8)} ${dockerfileArgs([src.url, "/file"])}`, "");
      fields = [["from", stage], ["source", "file"]];
    } else if (src.kind === "inline-file") {
      step.files.push([`${dir}/${src.name}`, src.contents]);
      fields = [["source", `${dir}/${src.name}`]];
    } else if (src.kind === "inline-dir") {
      for (const f of src.files) step.files.push([`${dir}/${src.name}/${f.name}`, f.contents]);
      fields = [["source", `${dir}/${src.name}`]];
    } else {
      throw new Error(`extra repo source of kind ${src.kind} not laid out`);
    }
    step.mounts.push(`--mount=${["type=bind", ...[...fields, ["target", target]].map(([k, v]) => mountField(k, v))].join(",")}`);
  };
  repos.forEach((r, i) => {
    if (!r.envs.includes(env)) return;
    const dir = `repos/${i}`;
    for (const [name, src] of r.config) mount(src, `${dir}/config`, posix.join(p.configRoot, posix.extname(name) === p.configExt ? name : name + p.configExt));
    for (const [name, src] of r.keys) {
      const target = posix.join(p.keyRoot, name);
      mount(src, `${dir}/keys`, target);
      if (family === "rpm") step.rpmKeys.push(target);
    }
    r.data.forEach((d, j) => mount(d.source, `${dir}/data/${j}`, d.dest));
  });
  return step;
}

/** The command importing the step's keys into rpm, before dnf runs, or undefined if none. */
export function rpmImport(step: RepoStep): string | undefined {
  return step.rpmKeys.length ? `rpm --import ${step.rpmKeys.map(sq).join(" ")}` : undefined;
}
