// Source generators (gomod, cargohome, pip, nodemod), resolved in source-name order, each with
// its paths (default: the source's root) and options. Dalec substitutes args in none of these
// but the gomod auth hosts, which dalec-bake does not support yet.
import { UserError } from "../errors.js";
import type { LoadedSpec } from "./load.js";
import { specFileName } from "./load.js";
import type { Generator } from "./model.js";

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
        if (g.gomod.auth && Object.keys(g.gomod.auth).length) {
          const loc = spec.map.locate(["sources", source, "generate", i, "gomod", "auth"], true);
          throw new UserError(`"sources.${source}.generate[${i}].gomod.auth" is not supported yet by dalec-bake`, loc, spec.map.frame(loc));
        }
        const replace = (g.gomod.edits?.replace ?? []).map((r): [string, string] => {
          if (typeof r !== "string") return [r.old, r.new];
          const [o = "", n = ""] = r.split(" => ");
          return [o.trim(), n.trim()];
        });
        out.push({ ...base, kind: "gomod", paths: paths(g.gomod.paths), replace, drop: g.gomod.edits?.drop ?? [] });
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
