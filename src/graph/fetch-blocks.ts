// A spec's fetch node (image and build sources), the build sources' own Dockerfile builds
// (nested), and the prefetch nodes that lay out a build's context bake cannot take as it is.
import { posix } from "node:path";
import { namedContextName, nestedId } from "../render/fetch-dockerfile.js";
import type { SpecFiles } from "../render/spec-files.js";
import type { Block, Stage, Text, Value } from "./blocks.js";
import { CACHEONLY } from "./blocks.js";
import { GIT_CONTEXT_SSH_ID, gitContextSecrets, gitContextSsh } from "./git-context-auth.js";

/** Platform-independent nodes built once on the build platform, like sources. */
function localBlock(label: string, stage: Stage, spec: string, rest: Pick<Block, "context" | "dockerfile" | "contexts"> & Partial<Block>): Block {
  return { label, stage, spec, matrix: undefined, name: undefined, args: [], platforms: [{ localPlatform: true }], output: CACHEONLY, tags: undefined, cacheFrom: [], cacheTo: [], ...rest };
}

/** Where a prefetch node leaves a build's context (in the output folder, beside the packages). */
export function prefetchFolder(spec: string, id: string): Text {
  return [{ variable: "DALEC_BAKE_OUT" }, `/prefetch/${spec}--${id}`];
}

/** A spec's fetch node (image and build sources) and the build sources' own Dockerfile builds. */
export function fetchBlocks(s: SpecFiles, contextPath: string, namedPaths: Readonly<Record<string, string>>): Block[] {
  if (!s.fetch) return [];
  const { contextRoot, nested, git, named } = s.fetch;
  // A git context's auth: the nested builds and the fetch node that reads them offer it, as the
  // sources node's children offer theirs.
  const auth: Partial<Block> = {
    ...(gitContextSecrets(s).length ? { secrets: gitContextSecrets(s) } : {}),
    ...(gitContextSsh(s) ? { sshIds: [GIT_CONTEXT_SSH_ID] } : {}),
  };
  const blocks: Block[] = [];
  for (const n of nested) {
    const from = n.from;
    const id = nestedId(n.name);
    // bake takes no main context from an image, nor checks an http one's digest: a prefetch node
    // lays it out in a folder first.
    const prefetched = from.kind === "image" || (from.kind === "http" && from.digest !== undefined);
    if (prefetched) {
      blocks.push(
        localBlock(`prefetch--${s.id}--${id}`, "prefetch", s.id, {
          context: [`gen/${s.id}/fetch/prefetch-${id}`],
          dockerfile: ["Dockerfile"],
          contexts: [],
          output: [["type=local,dest=", ...prefetchFolder(s.id, id)]],
        }),
      );
    }
    const context: Text =
      from.kind === "context"
        ? [posix.join(contextPath, from.path)]
        : from.kind === "named"
          ? [posix.join(namedPaths[from.context] ?? ".", from.path)]
          : from.kind === "git"
            ? [`${from.url}#${from.commit}${from.path === "." ? "" : `:${from.path}`}`]
            : prefetched
              ? prefetchFolder(s.id, id)
              : from.kind === "http" ? [from.url] : [`gen/${s.id}/fetch/nested-${id}`];
    // BuildKit drops a git context's .git unless told to keep it, as Dalec's keepGitDir does.
    const keepGit: [string, Value][] = from.kind === "git" && from.keepGitDir ? [["BUILDKIT_CONTEXT_KEEP_GIT_DIR", ["1"]]] : [];
    blocks.push(localBlock(`nested--${s.id}--${id}`, "nested", s.id, {
      ...(prefetched ? { after: [`prefetch--${s.id}--${id}`] } : {}),
      context,
      dockerfile: [n.dockerfile],
      ...(n.target ? { target: n.target } : {}),
      contexts: [],
      args: [...n.args.map(([k, v]): [string, Value] => [k, [v]]), ...keepGit],
      ...auth,
    }));
  }
  blocks.push(
    localBlock(`fetch--${s.id}`, "fetch", s.id, {
      ...auth,
      context: [`gen/${s.id}/fetch`],
      dockerfile: ["Dockerfile"],
      contexts: [
        ...(contextRoot ? [["context", [posix.join(contextPath, contextRoot)]] as [string, Text]] : []),
        ...(s.fetch.lib ? [["lib", ["dockerfiles/lib"]] as [string, Text]] : []),
        ...nested.map((n): [string, Text] => [`build-${nestedId(n.name)}`, [`target:nested--${s.id}--${nestedId(n.name)}`]]),
        ...git.map(([name, ref]): [string, Text] => [name, [ref]]),
        ...named.map((name): [string, Text] => [namedContextName(name), [namedPaths[name] ?? "."]]),
      ],
    }),
  );
  return blocks;
}
