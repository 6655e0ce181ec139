// Arbitrary strings a user writes in a spec (env values, build commands, test commands and
// expected output) reach the generated scripts unchanged: spec text -> loader -> resolver ->
// renderer -> a real bash. Values in fields Dalec substitutes carry no `$` here (there `${X}`
// is an arg reference, by design).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { renderBuildScript } from "../../../src/render/build-script.js";
import { sq } from "../../../src/render/shell.js";
import { renderTestScript } from "../../../src/render/test-script.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";
import { ROOT, tempDir } from "../../helpers/cli.js";

const text = (extra = "") =>
  fc.string({ unit: "binary", minLength: 1, maxLength: 30 }).map((s) => s.replace(new RegExp(`[\\0\\r${extra}]`, "g"), "")).filter((s) => s.length > 0);

const lib = (script: string, name: string) => script.replace(`. /dalec/lib/${name}`, `. ${join(ROOT, "dockerfiles/lib", name)}`);

describe("strings through the whole pipeline", () => {
  // Forty runs of bash take seconds on a busy machine: a generous timeout, not a timing test.
  it("env values, build commands, test commands and expected output come out unchanged", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(text("$"), text("$"), text().filter((s) => !s.split("\n").includes("DALEC_EOF")), text(), async (envValue, stepValue, command, arg) => {
        const spec = {
          name: "strings",
          version: "1",
          build: {
            env: { K: envValue },
            steps: [
              {
                command: `printf '%s' "$K" > "$DESTDIR/k"\nprintf '%s' "$S" > "$DESTDIR/s"\ncat > "$DESTDIR/c" <<'DALEC_EOF'\n${command}\nDALEC_EOF\n`,
                env: { S: stepValue },
              },
            ],
          },
          // A test step is split like a shell command line, then run without a shell.
          tests: [{ name: "echo", steps: [{ command: `printf %s ${sq(arg)}`, stdout: { equals: arg.replace(/\$/g, "\\$") } }] }],
        };
        const loaded = parseSpec(stringify(spec), "spec.yml");
        const r = resolveSpec(loaded, { distro: DISTROS.bookworm!, arch: "amd64", args: {} });
        const dir = tempDir("dalec-bake-strings-");
        writeFileSync(join(dir, "build.sh"), lib(renderBuildScript(r, "/lib/systemd/system"), "install.sh"));
        writeFileSync(join(dir, "test.sh"), lib(renderTestScript(r.tests), "checks.sh"));
        const root = join(dir, "root");
        const b = await execa("bash", [join(dir, "build.sh")], { cwd: dir, env: { DESTDIR: root }, reject: false, all: true });
        expect(b.exitCode, b.all).toBe(0);
        expect(readFileSync(join(root, "k"), "utf8")).toBe(envValue);
        expect(readFileSync(join(root, "s"), "utf8")).toBe(stepValue);
        expect(readFileSync(join(root, "c"), "utf8")).toBe(`${command}\n`);
        const t = await execa("bash", [join(dir, "test.sh")], { reject: false, all: true });
        expect(t.exitCode, t.all).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
