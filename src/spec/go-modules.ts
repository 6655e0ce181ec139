// Go's module rules that Dalec applies to gomod edits: replace targets normalized, drop paths
// checked (golang.org/x/mod/module).

/** Go's semver.IsValid: vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]. */
const SEMVER = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

/**
 * A replace target as Dalec hands it to `go mod edit`: a v2+ version of a module whose path has
 * no major suffix gets "+incompatible" (Dalec's normalizeGomodReplaceTarget), as Go requires
 * such a version spelled.
 */
export function normalizeReplaceTarget(target: string): string {
  const at = target.lastIndexOf("@");
  if (at <= 0 || at === target.length - 1) return target;
  const path = target.slice(0, at);
  const version = target.slice(at + 1);
  const m = SEMVER.exec(version);
  if (!m || version.includes("+") || !noMajorSuffix(path)) return target;
  return Number(m[1]) >= 2 ? `${target}+incompatible` : target;
}

/**
 * Whether a module path is valid without a major version suffix (Go's module.SplitPathVersion
 * giving ok and no pathMajor): gopkg.in paths always carry one, or are not valid.
 */
function noMajorSuffix(path: string): boolean {
  // "/v2" is a suffix; "/v0", "/v1", "/v2.1" make the path invalid; either way, left alone.
  return !path.startsWith("gopkg.in/") && !/\/v[0-9.]+$/.test(path);
}

/** Why a module path is malformed (Go's module.CheckPath), or undefined when it is valid. */
export function modulePathError(path: string): string | undefined {
  if (path === "") return "empty string";
  if (path.startsWith("-")) return "leading dash";
  if (path.includes("//")) return "double slash";
  if (path.endsWith("/")) return "trailing slash";
  for (const elem of path.split("/")) {
    if (elem === "") return "empty path element";
    if (/^\.+$/.test(elem)) return `invalid path element "${elem}"`;
    if (elem.startsWith(".")) return "leading dot in path element";
    if (elem.endsWith(".")) return "trailing dot in path element";
    const bad = [...elem].find((c) => !/[-._~0-9A-Za-z]/.test(c));
    if (bad) return `invalid char ${JSON.stringify(bad)}`;
    // Go keeps paths usable as file names everywhere: no Windows device name, no short name.
    if (/~[0-9]+$/.test(elem)) return `trailing tilde and digits in path element "${elem}"`;
    if (/^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i.test(elem.split(".")[0]!)) return `disallowed path element "${elem}"`;
  }
  const first = path.split("/")[0]!;
  if (!first.includes(".")) return "missing dot in first path element";
  const badFirst = [...first].find((c) => !/[-.0-9a-z]/.test(c));
  if (badFirst) return `invalid char ${JSON.stringify(badFirst)} in first path element`;
  if (path.startsWith("gopkg.in/")) {
    const major = /\.v(\d+)(-unstable)?$/.exec(path)?.[1];
    if (major === undefined || (major.startsWith("0") && major !== "0")) return "a gopkg.in path must end in .vN";
  } else {
    // "/v2" is a major version suffix; "/v0", "/v1", "/v01", "/v2.1" are not valid ones
    const suffix = /\/v([0-9.]+)$/.exec(path)?.[1];
    if (suffix !== undefined && (suffix.includes(".") || suffix.startsWith("0") || suffix === "1")) return `"/v${suffix}" is not a major version suffix (expected /v2 or later)`;
  }
  return undefined;
}
