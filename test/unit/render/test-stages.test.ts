// The library's Dockerfile.test made into a stage per test, and the --mount fields it writes.
// The stages are read back by parsing the text as BuildKit's Dockerfile parser splits it (one
// instruction per line once continuations are joined); the e2e tests build them for real.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testStages } from "../../../src/render/build-dockerfile.js";
import { mountField } from "../../../src/render/library-copy.js";
import { instructions } from "../../helpers/dockerfile.js";
import { ROOT } from "../../helpers/cli.js";

const LIBRARY = readFileSync(join(ROOT, "dockerfiles/Dockerfile.test"), "utf8");

describe("testStages", () => {
  it("runs each test from the stage with the test dependencies, with only its own mounts", () => {
    const out = instructions(testStages(LIBRARY, [[{ source: ".dalec-mounts/m1", target: "/data" }], [], [{ source: ".dalec-mounts/m2", target: "/data" }]]));
    const froms = out.filter((l) => l.startsWith("FROM "));
    expect(froms).toEqual(["FROM image AS test", "FROM test AS test-1", "FROM test AS test-2", "FROM test AS test-3", "FROM scratch"]);
    const runs = out.filter((l) => l.includes("/dalec/test.sh"));
    expect(runs).toHaveLength(3);
    runs.forEach((run, i) => expect(run).toMatch(new RegExp(`DALEC_RUN_TEST=${i + 1} bash /dalec/test.sh && touch /dalec-tests-passed$`)));
    expect(runs[0]).toContain("--mount=type=bind,from=sources,source=.dalec-mounts/m1,target=/data,rw");
    expect(runs[1]).not.toContain("from=sources");
    expect(runs[2]).toContain("source=.dalec-mounts/m2,target=/data");
    // the test dependencies are installed once, before the tests' stages
    expect(out.filter((l) => l.includes("test-deps.txt"))).toHaveLength(1);
    expect(out.indexOf(out.find((l) => l.includes("test-deps.txt"))!)).toBeLessThan(out.indexOf("FROM test AS test-1"));
    // the result needs every test's stage
    expect(out.slice(out.indexOf("FROM scratch") + 1)).toEqual([1, 2, 3].map((n) => `COPY --from=test-${n} /dalec-tests-passed /dalec-tests-passed-${n}`));
  });

  it("runs each part of a test with mounts from the part before, each with the mounts anew", () => {
    const mounts = [{ source: ".dalec-mounts/m1", target: "/data" }];
    const out = instructions(testStages(LIBRARY, [mounts, []], [["1", "2", "files"], []]));
    expect(out.filter((l) => l.startsWith("FROM "))).toEqual(["FROM image AS test", "FROM test AS test-1-1", "FROM test-1-1 AS test-1-2", "FROM test-1-2 AS test-1", "FROM test AS test-2", "FROM scratch"]);
    const runs = out.filter((l) => l.includes("/dalec/test.sh"));
    expect(runs.map((r) => / (DALEC_RUN_TEST=\S+(?: DALEC_RUN_PART=\S+)?) bash/.exec(r)?.[1])).toEqual(["DALEC_RUN_TEST=1 DALEC_RUN_PART=1", "DALEC_RUN_TEST=1 DALEC_RUN_PART=2", "DALEC_RUN_TEST=1 DALEC_RUN_PART=files", "DALEC_RUN_TEST=2"]);
    for (const run of runs.slice(0, 3)) expect(run).toContain("source=.dalec-mounts/m1,target=/data,rw");
    expect(out.slice(out.indexOf("FROM scratch") + 1)).toEqual([1, 2].map((n) => `COPY --from=test-${n} /dalec-tests-passed /dalec-tests-passed-${n}`));
  });

  it("refuses a library whose test step it cannot find", () => {
    expect(() => testStages(LIBRARY.replace("bash /dalec/test.sh", "sh /dalec/test.sh"), [[]])).toThrow(/Dockerfile.test no longer has its test step/);
    expect(() => testStages("FROM image AS test\nRUN --mount=type=bind,source=test.sh,target=/dalec/test.sh \\", [[]])).toThrow(/no longer has its test step/);
  });
});

describe("mountField", () => {
  // What BuildKit does to a --mount flag, layer by layer (frontend/dockerfile: extractBuilderFlags,
  // then CSV fields, then each value as a shell word): a reading of the same rules, so that a
  // value comes back as written. The e2e mounts test builds one such destination for real.
  function unflag(word: string): string {
    let out = "";
    let quote = "";
    for (let i = 0; i < word.length; i++) {
      const c = word[i]!;
      if (c === "\\") out += word[++i] ?? "";
      else if (quote && c === quote) quote = "";
      else if (!quote && (c === "'" || c === '"')) quote = c;
      else out += c;
    }
    return out;
  }
  function csvField(field: string): string {
    return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
  }
  function shellWord(value: string): string {
    return value.replace(/\\(.)/g, "$1");
  }

  it("writes values a RUN flag, CSV and shell-word expansion all give back unchanged", () => {
    for (const v of ["/plain", "/a b", "/with, comma", '/q"uote', "/it's", "/back\\slash", "/d$x", `/it's a "quoted", odd\\path.txt`]) {
      const field = mountField("target", v);
      const value = shellWord(csvField(unflag(field)).slice("target=".length));
      expect(value, field).toBe(v);
    }
    expect(mountField("target", "/plain")).toBe("target=/plain");
  });
});
