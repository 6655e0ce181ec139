// The bad-input corpus for Dalec's validation rules: every file in test/bad-input/rules is one
// broken rule. Each gives exactly its pinned message (messages.tsv: file, line:col: message),
// exit code 1, no stack trace, and nothing written, from `lint` and from `gen` alike.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

const DIR = "test/bad-input/rules";
const pinned = new Map(
  readFileSync(join(ROOT, DIR, "messages.tsv"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t") as [string, string]),
);
const files = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith(".yml")).sort();

describe("the bad-input corpus", () => {
  it("has at least 50 cases, each with a pinned message", () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect([...pinned.keys()].sort()).toEqual(files);
  });

  it.each(files)("%s", async (file) => {
    const expected = `dalec-bake: ${DIR}/${file}:${pinned.get(file)}`;
    const lint = await runCli(["lint", `${DIR}/${file}`], ROOT);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toBe("");
    expect(lint.stderr.split("\n")[0]).toBe(expected);
    expect(lint.stderr).not.toMatch(/\n\s+at /);
    const out = join(tempDir(), "out");
    const gen = await runCli(["gen", `${DIR}/${file}`, "--out", out], ROOT);
    expect(gen.code).toBe(1);
    expect(gen.stderr.split("\n")[0]).toBe(expected);
    expect(existsSync(out)).toBe(false);
  });
});
