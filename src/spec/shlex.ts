// Splits a command line the way Dalec does (google/shlex, whose states this follows): words
// split on space, tab, CR and LF only; single quotes take everything literally; a backslash,
// outside quotes or inside double quotes, takes the next character literally whatever it is;
// `#` at the start of a word begins a comment to the end of the line. A backslash or an open
// quote at the end is an error, as in Dalec. Dalec runs test steps and image entrypoints as
// argv, never through a shell.

const SPACE = new Set([" ", "\t", "\r", "\n"]);

export function shlexSplit(line: string): string[] {
  const words: string[] = [];
  const chars = [...line];
  let word = "";
  let inWord = false;
  let i = 0;
  const n = chars.length;
  const escaped = () => {
    if (i + 1 >= n) throw new Error("a backslash at the end of the command escapes nothing");
    word += chars[i + 1];
    i += 2;
  };
  while (i < n) {
    const c = chars[i]!;
    if (SPACE.has(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "#" && !inWord) {
      while (i < n && chars[i] !== "\n") i++;
    } else if (c === "\\") {
      inWord = true;
      escaped();
    } else if (c === "'") {
      inWord = true;
      const end = chars.indexOf("'", i + 1);
      if (end < 0) throw new Error("unclosed single quote");
      word += chars.slice(i + 1, end).join("");
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= n) throw new Error("unclosed double quote");
        const d = chars[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === "\\") escaped();
        else {
          word += d;
          i++;
        }
      }
    } else {
      inWord = true;
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
