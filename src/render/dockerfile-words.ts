// Words of a Dockerfile instruction that BuildKit reads back unchanged. Its lexer runs on the
// arguments of COPY, ADD, WORKDIR, USER, STOPSIGNAL, LABEL and ENV (in JSON form too): quotes are
// removed, `$` expands and a backslash escapes, so each of those is escaped. COPY sources are
// also patterns: callers keep user text out of them. No form holds a newline.

/** One word, outside any quotes: quotes, `$`, backslashes and whitespace escaped. */
export function dockerfileWord(s: string): string {
  return s.replace(/[\\$"'\s]/g, (c) => `\\${c}`);
}

/** One word in double quotes: backslashes, quotes and `$` escaped. */
export function dockerfileQuoted(s: string): string {
  return `"${s.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** COPY or ADD sources and destination in JSON form. */
export function dockerfileArgs(words: readonly string[]): string {
  return JSON.stringify(words.map(dockerfileWord));
}
