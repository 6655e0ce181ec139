// A build source's git context behind token or header auth. Bake fetches a build's context
// itself, with BuildKit's git source, which reads the secret GIT_AUTH_TOKEN.<host> (or
// GIT_AUTH_HEADER.<host>) and sends it as Dalec's git source does; bake fills it from the
// environment variable the spec names, so the value is in no generated file. Over ssh, it uses
// the ssh id "default", which bake forwards from the user's agent.
import { UserError } from "../errors.js";
import type { SpecFiles } from "../render/spec-files.js";

/** The ssh id BuildKit's git source uses for a context it fetches over ssh. */
export const GIT_CONTEXT_SSH_ID = "default";

/** [secret id, environment variable] for each host a build source's git context authenticates with. */
export function gitContextSecrets(s: Pick<SpecFiles, "fetch">): [string, string][] {
  const byId = new Map<string, string>();
  for (const { from } of s.fetch?.nested ?? []) {
    if (from.kind !== "git" || !from.auth || from.auth.kind === "ssh") continue;
    // The host as Go's url.Parse gives it to BuildKit: as written, port included.
    const host = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(from.url)?.[1] ?? from.url;
    const id = `GIT_AUTH_${from.auth.kind === "token" ? "TOKEN" : "HEADER"}.${host}`;
    const other = byId.get(id);
    if (other !== undefined && other !== from.auth.secret) {
      const why = `expected the ${from.auth.kind} secret of another build source from ${host} (${other}), found ${from.auth.secret}: BuildKit reads one per host`;
      throw new UserError(why, from.auth.where);
    }
    byId.set(id, from.auth.secret);
  }
  return [...byId].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Whether a build source's git context is reached over ssh: BuildKit's git source uses GIT_CONTEXT_SSH_ID. */
export function gitContextSsh(s: Pick<SpecFiles, "fetch">): boolean {
  return (s.fetch?.nested ?? []).some(({ from }) => from.kind === "git" && from.auth?.kind === "ssh");
}
