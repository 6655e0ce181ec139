// A Dockerfile read as BuildKit's parser splits it: one instruction per line once continuations
// are joined.

/** Instructions, continuations joined, comments and blank lines dropped, whitespace collapsed. */
export function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.replace(/\s+/g, " ").trim());
}
