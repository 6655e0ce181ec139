// Words of a Dockerfile instruction that BuildKit reads back unchanged. Its lexer runs on the
// arguments of COPY, ADD and WORKDIR (in JSON form too): quotes are removed, `$` expands and a
// backslash escapes, so each of those is escaped. COPY sources are also patterns: callers keep
// user text out of them.

/** One word, outside any quotes: quotes, `$`, backslashes and whitespace escaped. */
export function dockerfileWord(s: string): string {
  return s.replace(/[\\$"'\s]/g, (c) => `\\${c}`);
}

/** COPY or ADD sources and destination in JSON form. */
export function dockerfileArgs(words: readonly string[]): string {
  return JSON.stringify(words.map(dockerfileWord));
}
