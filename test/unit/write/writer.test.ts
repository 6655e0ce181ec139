// The writer on a real folder: a path may turn from a folder of generated files into a file and
// back; a user's file in the way stops it before anything changes.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { STAMP } from "../../../src/render/shell.js";
import { writeTree } from "../../../src/write/writer.js";
import { tempDir } from "../../helpers/cli.js";

const gen = (text: string) => `# ${STAMP}\n${text}\n`;

/** Every file under dir, relative, sorted, with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length + 1)] = readFileSync(join(e.parentPath, e.name), "utf8");
  }
  return out;
}

describe("writeTree", () => {
  it("turns a folder of its own files into a file, and back", () => {
    const out = tempDir("dalec-bake-writer-");
    writeTree(out, new Map([["inline/src/a.txt", gen("a")], ["inline/src/b.txt", gen("b")], ["keep", gen("k")]]), false);
    const r = writeTree(out, new Map([["inline/src", gen("now a file")], ["keep", gen("k")]]), false);
    expect(r.removed).toEqual(["inline/src/a.txt", "inline/src/b.txt"]);
    expect(readFileSync(join(out, "inline/src"), "utf8")).toBe(gen("now a file"));
    writeTree(out, new Map([["inline/src/c.txt", gen("c")], ["keep", gen("k")]]), false);
    expect(readFileSync(join(out, "inline/src/c.txt"), "utf8")).toBe(gen("c"));
    // nothing of the staging is left behind
    expect(Object.keys(snapshot(out)).sort()).toEqual([".dalec-bake-files", "inline/src/c.txt", "keep"]);
  });

  it("refuses to write where a folder holds a user's file, changing nothing", () => {
    const out = tempDir("dalec-bake-writer-");
    writeTree(out, new Map([["inline/src/a.txt", gen("a")]]), false);
    writeFileSync(join(out, "inline/src/mine.txt"), "the user's\n");
    const before = snapshot(out);
    expect(() => writeTree(out, new Map([["inline/src", gen("file")], ["other", gen("o")]]), false)).toThrow(UserError);
    expect(() => writeTree(out, new Map([["inline/src", gen("file")]]), false)).toThrow(/is a folder holding files dalec-bake did not generate .*mine\.txt/);
    expect(snapshot(out)).toEqual(before);
  });

  it("refuses to write under a user's file, changing nothing", () => {
    const out = tempDir("dalec-bake-writer-");
    mkdirSync(join(out, "gen"));
    writeFileSync(join(out, "gen/x"), "the user's\n");
    const before = snapshot(out);
    expect(() => writeTree(out, new Map([["gen/x/y.sh", gen("y")], ["z", gen("z")]]), false)).toThrow(/gen\/x is a file dalec-bake did not generate/);
    expect(snapshot(out)).toEqual(before);
  });
});
