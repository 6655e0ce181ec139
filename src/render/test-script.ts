// test.sh: the spec's tests as calls to the check helpers in dockerfiles/lib/checks.sh. Every
// value is quoted exactly, so expected output with quotes or newlines is compared byte for byte.
// Test N runs when DALEC_RUN_TEST is N or unset: a spec with several tests runs each in a stage
// of its own (render/build-dockerfile.ts), as Dalec runs each test from the image. A test with
// mounts runs each of its parts (testParts) in a RUN of its own, chosen by DALEC_RUN_PART.
import { formatLocation } from "../errors.js";
import type { Check, ResolvedTest } from "../spec/model.js";
import { STAMP, ansiC, sq } from "./shell.js";

export function renderTestScript(tests: readonly ResolvedTest[]): string {
  const lines = ["#!/usr/bin/env bash", `# ${STAMP}`, "# shellcheck source-path=SCRIPTDIR source=../../../dockerfiles/lib/checks.sh", ". /dalec/lib/checks.sh"];
  tests.forEach((t, n) => {
    lines.push("", `if dalec_runs ${n + 1}; then`);
    const body: string[] = [`dalec_test ${sq(t.name)}${t.dir ? ` ${sq(t.dir)}` : ""}`];
    const split = testParts(t).length > 0;
    const part = (name: string, part: string[]) => body.push(...(split ? [`if dalec_part ${name}; then`, ...part.map((l) => `  ${l}`), "fi"] : part));
    t.steps.forEach((s, i) => {
      const env = [...t.env, ...s.env].map(([k, v]) => sq(`${k}=${v}`));
      const argv = [...(env.length ? ["env", ...env] : []), ...s.argv.map(sq)];
      const stdin = s.stdin === undefined ? "0 ''" : `1 ${ansiC(s.stdin)}`;
      part(String(i + 1), [`dalec_step ${sq(formatLocation(s.where))} ${sq(`step ${i + 1}`)} ${stdin} -- ${argv.join(" ")}`, ...checks("stdout", s.stdout), ...checks("stderr", s.stderr)]);
    });
    const files: string[] = [];
    for (const f of t.files) {
      files.push(`dalec_file ${sq(formatLocation(f.where))} ${sq(f.path)}${f.no_follow ? " no_follow" : ""}`);
      if (f.not_exist) files.push("dalec_expect_path not_exist");
      else files.push(`dalec_expect_path is_dir ${f.is_dir ? "true" : "false"}`);
      if (f.link_target !== undefined) files.push(`dalec_expect_path link_target ${sq(f.link_target)}`);
      if (f.permissions) files.push(`dalec_expect_path permissions ${f.permissions.toString(8).padStart(4, "0")}`);
      files.push(...checks("file", f));
    }
    if (files.length) part("files", files);
    lines.push(...body.map((l) => `  ${l}`), "fi");
  });
  lines.push("", "dalec_done");
  return `${lines.join("\n")}\n`;
}

/**
 * The parts of a test that run in RUNs of their own, in order: each step (by number), then the
 * file checks ("files"). Dalec runs every step and check in an exec of its own that mounts the
 * test's sources anew, so what one step writes into a mount the next does not see; what it
 * writes elsewhere it does, as each exec starts from the last one's root. Without mounts one
 * RUN gives the same: no parts ([]).
 */
export function testParts(t: Pick<ResolvedTest, "mounts" | "steps" | "files">): string[] {
  const parts = [...t.steps.map((_, i) => String(i + 1)), ...(t.files.length ? ["files"] : [])];
  return t.mounts.length && parts.length > 1 ? parts : [];
}

function checks(stream: string, c: Check | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  const add = (check: string, v: string) => out.push(`dalec_expect ${stream} ${check} ${ansiC(v)}`);
  if (c.equals !== undefined) add("equals", c.equals);
  for (const v of c.contains ?? []) add("contains", v);
  for (const v of c.matches ?? []) add("matches", v);
  if (c.starts_with !== undefined) add("starts_with", c.starts_with);
  if (c.ends_with !== undefined) add("ends_with", c.ends_with);
  if (c.empty) out.push(`dalec_expect ${stream} empty true`);
  return out;
}
