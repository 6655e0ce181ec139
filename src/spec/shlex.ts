// Splits a command line the way Dalec does (google/shlex): words split on whitespace, single
// and double quotes, backslash escapes, and `#` at the start of a word begins a comment.
// Dalec runs test steps and image entrypoints as argv, never through a shell.

export function shlexSplit(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "#" && !inWord) {
      while (i < n && line[i] !== "\n") i++;
    } else if (c === "\\") {
      inWord = true;
      if (i + 1 < n) word += line[i + 1];
      i += 2;
    } else if (c === "'") {
      inWord = true;
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("unclosed single quote");
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= n) throw new Error("unclosed double quote");
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === "\\" && i + 1 < n && ['"', "\\", "$", "`", "\n"].includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
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
