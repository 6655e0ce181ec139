// Source generators (gomod, cargohome, pip, nodemod), resolved in source-name order, each with
// its paths (default: the source's root) and options. Dalec substitutes args in none of these.
import { normalizeReplaceTarget } from "./go-modules.js";
import type { LoadedSpec } from "./load.js";
import { specFileName } from "./load.js";
import type { Generator, GomodAuth } from "./model.js";
import type { SourceInput } from "./schema.js";
import { gitAuth } from "./resolve-source.js";

export function resolveGenerators(spec: LoadedSpec): Generator[] {
  const out: Generator[] = [];
  const sources = Object.entries(spec.input.sources ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [source, s] of sources) {
    (s.generate ?? []).forEach((g, i) => {
      const kind = (["gomod", "cargohome", "pip", "nodemod"] as const).find((k) => g[k]) ?? "gomod";
      const where = `${specFileName(spec)}: sources.${source}.generate[${i}].${kind}`;
      const base = { source, subpath: g.subpath ?? "", where };
      const paths = (p: string[] | undefined) => (p?.length ? p : ["."]);
      if (g.gomod) {
        const replace = (g.gomod.edits?.replace ?? []).map((r): [string, string] => {
          if (typeof r !== "string") return [r.old, normalizeReplaceTarget(r.new)];
          const [o = "", n = ""] = r.split(" => ");
          return [o.trim(), normalizeReplaceTarget(n.trim())];
        });
        out.push({ ...base, kind: "gomod", paths: paths(g.gomod.paths), replace, drop: (g.gomod.edits?.drop ?? []).map((d) => d.trim()), auth: gomodAuth(s, g.gomod.auth) });
      } else if (g.cargohome) {
        out.push({ ...base, kind: "cargohome", paths: paths(g.cargohome.paths) });
      } else if (g.pip) {
        const p = g.pip;
        out.push({ ...base, kind: "pip", paths: paths(p.paths), requirements: p.requirements_file ?? "requirements.txt", indexUrl: p.index_url, extraIndexUrls: p.extra_index_urls ?? [] });
      } else if (g.nodemod) {
        out.push({ ...base, kind: "nodemod", paths: paths(g.nodemod.paths), registry: g.nodemod.registry });
      }
    });
  }
  return out;
}

type AuthInput = NonNullable<NonNullable<NonNullable<SourceInput["generate"]>[number]["gomod"]>["auth"]>;

/** gomod.auth by host, sorted; a git source's own auth fills in its host unless given (Dalec's fillDefaults). */
function gomodAuth(s: SourceInput, given: AuthInput | undefined): GomodAuth[] {
  const out = new Map<string, GomodAuth>();
  for (const [host, a] of Object.entries(given ?? {})) {
    if (a.token) out.set(host, { host, kind: "token", secret: a.token });
    else if (a.header) out.set(host, { host, kind: "header", secret: a.header });
    else if (a.ssh) out.set(host, { host, kind: "ssh", secret: a.ssh.id || "default", username: a.ssh.username || "git" });
  }
  // Dalec keeps the whole URL as the host when it does not parse (scp-like git@host:path).
  const url = s.git?.url ?? "";
  const host = URL.canParse(url) ? new URL(url).host || url : url;
  const own = gitAuth(s.git?.auth);
  if (own && !out.has(host)) {
    const { kind, secret } = own;
    out.set(host, kind === "ssh" ? { host, kind, secret, username: "git" } : { host, kind, secret });
  }
  return [...out.values()].sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : 0));
}
