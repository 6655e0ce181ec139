// Tests with args substituted in the fields Dalec substitutes (env, stdin, checks) and command
// lines split into argv (Dalec runs test steps without a shell).
import { RE2JS } from "re2js";
import { UserError } from "../errors.js";
import type { Path } from "../yaml/read.js";
import type { ArgScope } from "./args.js";
import { substitute, substituteMap } from "./args.js";
import type { LoadedSpec } from "./load.js";
import type { Check, ResolvedTest } from "./model.js";
import type { CheckInput, TestInput } from "./schema.js";
import { shlexSplit } from "./shlex.js";
import { resolveMounts } from "./resolve-source.js";

export function resolveTests(spec: LoadedSpec, scope: ArgScope, tests: { test: TestInput; path: Path }[], contexts: readonly string[]): ResolvedTest[] {
  return tests.map(({ test, path }) => ({
    name: test.name,
    dir: test.dir === undefined ? undefined : substitute(test.dir, scope, [...path, "dir"]),
    where: spec.map.locate(path),
    env: Object.entries(substituteMap(test.env, scope, [...path, "env"])),
    mounts: resolveMounts(spec, scope, test.mounts, [...path, "mounts"], contexts),
    steps: (test.steps ?? []).map((s, i) => {
      const at = [...path, "steps", i];
      let argv: string[];
      try {
        argv = shlexSplit(s.command);
      } catch (e) {
        const loc = spec.map.locate([...at, "command"]);
        throw new UserError(`cannot split test command: ${(e as Error).message}`, loc, spec.map.frame(loc));
      }
      if (argv.length === 0) {
        const loc = spec.map.locate([...at, "command"]);
        throw new UserError("a test step needs a command", loc, spec.map.frame(loc));
      }
      return {
        argv,
        env: Object.entries(substituteMap(s.env, scope, [...at, "env"])),
        stdin: s.stdin === undefined ? undefined : substitute(s.stdin, scope, [...at, "stdin"]),
        stdout: check(spec, s.stdout, scope, [...at, "stdout"]),
        stderr: check(spec, s.stderr, scope, [...at, "stderr"]),
        where: spec.map.locate(at),
      };
    }),
    files: Object.entries(test.files ?? {}).map(([file, c]) => {
      const at = [...path, "files", file];
      return {
        ...check(spec, c, scope, at),
        path: file,
        permissions: c.permissions,
        is_dir: c.is_dir,
        not_exist: c.not_exist,
        no_follow: c.no_follow,
        // Dalec substitutes no args here, and an empty target checks nothing
        link_target: c.link_target || undefined,
        where: spec.map.locate(at, true),
      };
    }),
  }));
}

function check(spec: LoadedSpec, c: CheckInput | undefined, scope: ArgScope, at: Path): Check | undefined {
  if (!c) return undefined;
  const s = (v: string | undefined, k: string) => (v === undefined ? undefined : substitute(v, scope, [...at, k]));
  const l = (v: string[] | undefined, k: string) => v?.map((x, i) => substitute(x, scope, [...at, k, i]));
  const out: Check = {};
  // As in Dalec, an empty `equals`, `starts_with` or `ends_with` and `empty: false` check nothing.
  const equals = s(c.equals, "equals");
  if (equals) out.equals = equals;
  const contains = l(c.contains, "contains");
  if (contains) out.contains = contains;
  const matches = l(c.matches, "matches");
  matches?.forEach((m, i) => re2(spec, m, [...at, "matches", i]));
  if (matches) out.matches = matches;
  const sw = s(c.starts_with, "starts_with");
  if (sw) out.starts_with = sw;
  const ew = s(c.ends_with, "ends_with");
  if (ew) out.ends_with = ew;
  if (c.empty) out.empty = true;
  return out;
}

/**
 * Dalec's testrunner compiles a `matches` pattern with Go's regexp (RE2 syntax) and fails the
 * check when it cannot; the test script reads it with grep -P, which takes more (lookaround,
 * backreferences, possessive repeats). Such a pattern is refused here, with RE2's own message,
 * rather than passing where Dalec fails.
 */
function re2(spec: LoadedSpec, pattern: string, at: Path): void {
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    const loc = spec.map.locate(at);
    throw new UserError(`matches: expected a pattern Go's regexp (RE2) compiles, found ${JSON.stringify(pattern)}: ${(e as Error).message}`, loc, spec.map.frame(loc));
  }
}
