// A gomod replace target as Dalec hands it to `go mod edit`: a v2+ version of a module whose path
// has no major suffix gets "+incompatible" (Dalec's normalizeGomodReplaceTarget), so that a spec
// naming such a version works, as Go itself requires it spelled.

/** Go's semver.IsValid: vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]. */
const SEMVER = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

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
