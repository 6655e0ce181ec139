// A spec's fetch node (image and build sources), the build sources' own Dockerfile builds
// (nested), and the prefetch nodes that lay out a build's context bake cannot take as it is.
import { posix } from "node:path";
import { namedContextName, nestedId } from "../render/command-stages.js";
import { PREFETCH_SOURCE, prefetched } from "../render/prefetch-dockerfile.js";
import type { SpecFiles } from "../render/spec-files.js";
import type { Block, Stage, Text, Value } from "./blocks.js";
import { CACHEONLY } from "./blocks.js";
import { GIT_CONTEXT_SSH_ID, gitContextSecrets, gitContextSsh } from "./git-context-auth.js";

/** Platform-independent nodes built once on the build platform, like sources. */
function localBlock(label: string, stage: Stage, spec: string, rest: Pick<Block, "context" | "dockerfile" | "contexts"> & Partial<Block>): Block {
  return { label, stage, spec, matrix: undefined, name: undefined, args: [], platforms: [{ localPlatform: true }], output: CACHEONLY, tags: undefined, cacheFrom: [], cacheTo: [], ...rest };
}

/**
 * Where a prefetch node leaves a build's context (in the output folder, beside the packages):
 * named as the node is, but for its `prefetch--`, which is how bake.sh finds the node of a folder.
 */
export function prefetchFolder(spec: string, id: string): Text {
  return [{ variable: "DALEC_BAKE_OUT" }, `/prefetch/${spec}--${id}`];
}

/** A spec's fetch node (image and build sources) and the build sources' own Dockerfile builds. */
export function fetchBlocks(s: SpecFiles, contextPath: string, namedPaths: Readonly<Record<string, string>>): Block[] {
  if (!s.fetch) return [];
  const { contextRoot, nested, git, named } = s.fetch;
  // A git context's auth: the nested builds and the fetch node that reads them offer it, as the
  // sources node's children offer theirs.
  const secrets = gitContextSecrets(s);
  const auth: Partial<Block> = {
    ...(secrets.length ? { secrets } : {}),
    ...(gitContextSsh(s) ? { sshIds: [GIT_CONTEXT_SSH_ID] } : {}),
  };
  // What commands mount besides builds: the build context, git commits, named contexts.
  const root: [string, Text][] = contextRoot ? [["context", [posix.join(contextPath, contextRoot)]]] : [];
  const commandContexts: [string, Text][] = [
    ...root,
    ...git.map(([name, ref]): [string, Text] => [name, [ref]]),
    ...named.map((name): [string, Text] => [namedContextName(name), [namedPaths[name] ?? "."]]),
  ];
  const blocks: Block[] = [];
  for (const n of nested) {
    const from = n.from;
    const id = nestedId(n.name);
    // What bake takes as it is: a folder, a git URL (a folder of it), an http URL.
    const direct: Text =
      from.kind === "context"
        ? [posix.join(contextPath, from.path)]
        : from.kind === "named"
          ? [posix.join(namedPaths[from.context] ?? ".", from.path)]
          : from.kind === "git"
            ? [`${from.url}#${from.commit}${from.path === "." ? "" : `:${from.path}`}`]
            : from.kind === "image" ? [`docker-image://${from.ref}`] : from.kind === "http" ? [from.url] : [`gen/${s.id}/fetch/nested-${id}`];
    // BuildKit drops a git context's .git unless told to keep it, as Dalec's keepGitDir does.
    const keepGit: [string, Value][] = from.kind === "git" && from.keepGitDir ? [["BUILDKIT_CONTEXT_KEEP_GIT_DIR", ["1"]]] : [];
    // bake takes no main context from an image, checks no http one's digest and filters none: a
    // prefetch node lays such a context out in a folder first (a filtered one read as `src`).
    const prefetch = prefetched(from);
    if (prefetch) {
      const filtered = "filter" in from && from.filter !== undefined;
      // An image's command reads what the fetch node's commands read (no build: resolve refuses it).
      const cmd = from.kind === "image" && from.cmd !== undefined;
      blocks.push(
        localBlock(`prefetch--${s.id}--${id}`, "prefetch", s.id, {
          context: [`gen/${s.id}/fetch/prefetch-${id}`],
          dockerfile: ["Dockerfile"],
          contexts: [
            ...(filtered && !cmd ? [[PREFETCH_SOURCE, direct] as [string, Text]] : []),
            ...(filtered || cmd ? [["lib", ["dockerfiles/lib"]] as [string, Text]] : []),
            ...(cmd ? commandContexts : []),
          ],
          args: keepGit,
          output: [["type=local,dest=", ...prefetchFolder(s.id, id)]],
          ...(from.kind === "git" || cmd ? auth : {}),
        }),
      );
    }
    const context = prefetch ? prefetchFolder(s.id, id) : direct;
    blocks.push(localBlock(`nested--${s.id}--${id}`, "nested", s.id, {
      ...(prefetch ? { after: [`prefetch--${s.id}--${id}`] } : {}),
      context,
      dockerfile: [n.dockerfile],
      ...(n.target ? { target: n.target } : {}),
      contexts: [],
      args: [...n.args.map(([k, v]): [string, Value] => [k, [v]]), ...(prefetch ? [] : keepGit)],
      ...auth,
    }));
  }
  blocks.push(
    localBlock(`fetch--${s.id}`, "fetch", s.id, {
      ...auth,
      context: [`gen/${s.id}/fetch`],
      dockerfile: ["Dockerfile"],
      contexts: [
        ...root,
        ...(s.fetch.lib ? [["lib", ["dockerfiles/lib"]] as [string, Text]] : []),
        ...nested.map((n): [string, Text] => [`build-${nestedId(n.name)}`, [`target:nested--${s.id}--${nestedId(n.name)}`]]),
        ...commandContexts.slice(root.length),
      ],
    }),
  );
  return blocks;
}
