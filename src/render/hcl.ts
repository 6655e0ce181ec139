// HCL literal syntax. Strings escape `${` and `%{` so that nothing a user wrote is ever
// evaluated as a template by bake.

export function hclString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if ((c === "$" || c === "%") && next === "{") out += `${c}${c}`;
    else out += c;
  }
  return `"${out}"`;
}

/** A template string whose `${...}` parts are HCL expressions we wrote (trusted) and whose other
 * parts are literal text (escaped). */
export function hclTemplate(parts: readonly (string | { expr: string })[]): string {
  return `"${parts.map((p) => (typeof p === "string" ? hclString(p).slice(1, -1) : `\${${p.expr}}`)).join("")}"`;
}

export function hclList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

export function hclObject(entries: readonly (readonly [string, string])[], indent = "  "): string {
  if (!entries.length) return "{}";
  const width = Math.max(...entries.map(([k]) => hclKey(k).length));
  return `{\n${entries.map(([k, v]) => `${indent}  ${hclKey(k).padEnd(width)} = ${v}`).join("\n")}\n${indent}}`;
}

function hclKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k);
}
