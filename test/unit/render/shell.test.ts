// Quoting in generated scripts, checked by running a real bash.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ansiC, sq } from "../../../src/render/shell.js";

const echoBack = (quoted: string) =>
  execFileSync("bash", ["-c", `printf '%s' ${quoted}`], { encoding: "utf8" });

describe("shell quoting", () => {
  it("sq and ansiC give back any string unchanged (checked by bash)", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", minLength: 1 }).map((s) => s.replace(/\0/g, "")), { minLength: 1, maxLength: 8 }), (parts) => {
        const s = parts.join("");
        if (!s) return;
        expect(echoBack(sq(s))).toBe(s);
        expect(echoBack(ansiC(s))).toBe(s);
      }),
      { numRuns: 60 },
    );
  });
});
