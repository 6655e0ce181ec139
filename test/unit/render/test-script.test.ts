// test.sh and lib/checks.sh run by real bash against a real file tree: the test's `dir`, file
// checks with no_follow and link_target, and failure messages naming the spec line and check.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { renderTestScript } from "../../../src/render/test-script.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";
import { ROOT, tempDir } from "../../helpers/cli.js";

async function runTests(yaml: string, env: Record<string, string> = {}) {
  const spec = parseSpec(yaml, "spec.yml");
  const resolved = resolveSpec(spec, { distro: DISTROS.bookworm!, arch: "amd64", args: {} });
  const lib = tempDir("dalec-bake-lib-");
  // test.sh sources /dalec/lib/checks.sh: point it at the library instead.
  const script = renderTestScript(resolved.tests).replace(". /dalec/lib/checks.sh", `. ${join(ROOT, "dockerfiles/lib/checks.sh")}`);
  writeFileSync(join(lib, "test.sh"), script);
  return execa("bash", [join(lib, "test.sh")], { reject: false, all: true, env });
}

function tree(): string {
  const dir = tempDir("dalec-bake-tree-");
  mkdirSync(join(dir, "work"));
  writeFileSync(join(dir, "work", "here.txt"), "here\n");
  writeFileSync(join(dir, "target.txt"), "content\n");
  symlinkSync("target.txt", join(dir, "link"));
  symlinkSync("work", join(dir, "dirlink"));
  return dir;
}

describe("test checks", () => {
  it("runs steps in the test's dir and checks links with and without following them", async () => {
    const d = tree();
    const r = await runTests(`name: t
version: 1
tests:
  - name: checks
    dir: ${d}/work
    steps:
      - command: cat here.txt
        stdout: { equals: "here\\n" }
    files:
      ${d}/link: { link_target: target.txt, contains: [content], no_follow: true }
      ${d}/dirlink: { is_dir: true }
      ${d}/target.txt: { permissions: 0o644 }
`);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain("dalec-bake: all tests passed");
  });

  it("names the spec line, test and check of every failure", async () => {
    const d = tree();
    const r = await runTests(`name: t
version: 1
tests:
  - name: failing
    files:
      ${d}/link: { link_target: elsewhere.txt }
      ${d}/target.txt: { link_target: target.txt }
      ${d}/dirlink: { is_dir: true, no_follow: true }
`);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain(`FAIL spec.yml:6:7: test "failing", file ${d}/link links to target.txt, expected elsewhere.txt`);
    expect(r.all).toContain(`FAIL spec.yml:7:7: test "failing", file ${d}/target.txt is not a symlink (expected one to target.txt)`);
    expect(r.all).toContain(`FAIL spec.yml:8:7: test "failing", file ${d}/dirlink is not a directory`);
    expect(r.all).toContain("dalec-bake: tests failed");
  });

  it("reads checks as Dalec does: programs not builtins, RE2-like matches, stat through links, no empty checks", async () => {
    const d = tree();
    symlinkSync("nowhere", join(d, "dangling"));
    symlinkSync("loop", join(d, "loop"));
    const big = "x".repeat(300_000);
    const r = await runTests(`name: t
version: 1
tests:
  - name: first
    steps:
      # a program on PATH: exit is no program, so this step fails and the script goes on
      - command: exit 0
      - command: echo 123
        stdout: { matches: ['\\d+\\n', '(?i)ONE|2'] }
      # "$" only at the very end, "." not across lines: neither matches
      - command: printf 'a\\nb\\n'
        stdout: { matches: ['b$', 'a.b'] }
      # checks nothing, as in Dalec
      - command: "true"
        stdout: { empty: false, equals: "" }
      # a large stdin the command never reads
      - command: "true"
        stdin: "${big}"
      # the step gets none of the variables bash gives what it runs
      - command: awk 'BEGIN { for (k in ENVIRON) if (k ~ /^(PWD|OLDPWD|SHLVL|_)$/) print k; print "none" }'
        stdout: { equals: "none\\n" }
    files:
      ${d}/dangling: { not_exist: true }
      ${d}/missing: { not_exist: true, permissions: 0o644 }
      # stat fails other than with ENOENT: an error in Dalec, not an absent file
      ${d}/target.txt/x: { not_exist: true }
      ${d}/loop: { not_exist: true }
  - name: second
    steps:
      - command: "false"
`);
    expect(r.exitCode).toBe(1);
    const fails = (r.all ?? "").split("\n").filter((l) => l.startsWith("FAIL "));
    expect(fails).toEqual([
      expect.stringMatching(/test "first", step 1 exited with code 127/),
      expect.stringMatching(/test "first", step 3: stdout does not match \/b\$\//),
      expect.stringMatching(/test "first", step 3: stdout does not match \/a\.b\//),
      expect.stringMatching(/test "first", file .*\/missing does not exist \(expected permissions 0644\)/),
      expect.stringMatching(/test "first", file .*\/target\.txt\/x cannot be checked: .*Not a directory$/),
      expect.stringMatching(/test "first", file .*\/loop cannot be checked: .*Too many levels of symbolic links$/),
      expect.stringMatching(/test "second", step 1 exited with code 1/),
    ]);
  });

  it("runs only the part DALEC_RUN_PART names of a test with mounts, and the whole test without it", async () => {
    const d = tree();
    const spec = `name: t
version: 1
tests:
  - name: mounted
    mounts:
      - dest: /data
        spec: { inline: { file: { contents: "x" } } }
    steps:
      - command: echo one
        stdout: { equals: "two\\n" }
      - command: echo two
        stdout: { equals: "two\\n" }
    files:
      ${d}/missing: { is_dir: false }
`;
    const fails = (r: { all?: string }) => (r.all ?? "").split("\n").filter((l) => l.startsWith("FAIL "));
    const one = await runTests(spec, { DALEC_RUN_TEST: "1", DALEC_RUN_PART: "1" });
    expect(fails(one)).toEqual([expect.stringMatching(/step 1: stdout does not equal/)]);
    const two = await runTests(spec, { DALEC_RUN_TEST: "1", DALEC_RUN_PART: "2" });
    expect(two.exitCode, two.all).toBe(0);
    expect(two.all).not.toContain("--- step 1");
    const files = await runTests(spec, { DALEC_RUN_TEST: "1", DALEC_RUN_PART: "files" });
    expect(fails(files)).toEqual([expect.stringMatching(/missing does not exist/)]);
    expect(files.all).not.toContain("--- step");
    const all = await runTests(spec);
    expect(fails(all)).toHaveLength(2);
  });

  it("runs only the test DALEC_RUN_TEST names (each test's own stage), and every test without it", async () => {
    const spec = `name: t
version: 1
tests:
  - name: one
    steps: [{ command: echo one }]
  - name: two
    steps: [{ command: "false" }]
  - name: three
    steps:
      # the command does not see the variable that chose its test
      - command: sh -c 'printenv DALEC_RUN_TEST || echo unset'
        stdout: { equals: "unset\\n" }
`;
    const only = await runTests(spec, { DALEC_RUN_TEST: "3" });
    expect(only.exitCode, only.all).toBe(0);
    expect(only.all).toContain('=== test "three"');
    expect(only.all).not.toMatch(/=== test "(one|two)"/);
    // a stage naming a test the script does not have fails rather than passing with no test run
    const none = await runTests(spec, { DALEC_RUN_TEST: "4" });
    expect(none.exitCode).toBe(1);
    expect(none.all).toContain("dalec-bake: no test 4 in this script");
    const failing = await runTests(spec, { DALEC_RUN_TEST: "2" });
    expect(failing.exitCode).toBe(1);
    expect(failing.all).toContain('test "two", step 1 exited with code 1');
    const all = await runTests(spec);
    expect(all.exitCode).toBe(1);
    expect(all.all).toMatch(/=== test "one"[^]*=== test "two"[^]*=== test "three"/);
  });
});
