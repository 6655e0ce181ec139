// What we emit, read back by a real HCL parser (@cdktf/hcl2json).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hclString } from "../../../src/render/hcl.js";
import { ROOT } from "../../helpers/cli.js";

// hcl2json shows a literal `${` as `$${` (its own output uses `${}` for expressions).
const unescape = (s: string) => s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

const targetSchema = z.object({
  name: z.string().optional(),
  matrix: z.record(z.string(), z.string()).optional(),
  contexts: z.record(z.string(), z.string()).optional(),
  args: z.record(z.string(), z.string()).optional(),
  platforms: z.union([z.array(z.string()), z.string()]).optional(),
});
const bakeSchema = z.object({
  target: z.record(z.string(), z.array(targetSchema)),
  group: z.record(z.string(), z.array(z.object({ targets: z.array(z.string()) }))),
  variable: z.record(z.string(), z.array(z.object({ default: z.string() }))),
});

describe("HCL emission", () => {
  it("round-trips any string through a real HCL parser (up to HCL's NFC normalisation)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (s) => {
        const clean = s.replace(/\r/g, "");
        const parsed = z.object({ v: z.string() }).parse(await parse("t.hcl", `v = ${hclString(clean)}\n`));
        // HCL normalises every string to NFC, escapes included: that is the language, not us.
        expect(unescape(parsed.v)).toBe(clean.normalize("NFC"));
      }),
      { numRuns: 200 },
    );
  });

  it("names every parent from the child's coordinates, never hard-coded", async () => {
    const text = readFileSync(join(ROOT, "bake/docker-bake.hcl"), "utf8");
    const bake = bakeSchema.parse(await parse("docker-bake.hcl", text));
    const targets = Object.entries(bake.target).map(([label, [t]]) => [label, t!] as const);
    expect(targets.map(([l]) => l).sort()).toEqual(
      ["build", "deps", "image", "pkg", "sources", "test"].map((s) => `${s}--dalec-bake-hello`).concat("system").sort(),
    );
    for (const [label, t] of targets) {
      for (const ref of Object.values(t.contexts ?? {}).filter((c) => c.startsWith("target:"))) {
        // A parent is either platform independent (sources) or named by ${v.*}/${p.*} only.
        const literal = ref.replace(/\$\{[vp]\.[a-z_]+\}/g, "");
        expect(literal, `${label} -> ${ref}`).not.toMatch(/bookworm|trixie|amd64|arm64|release|debug/);
      }
      if (t.name) expect(t.name.startsWith(label.split("--")[0]!)).toBe(true);
    }
    expect(bake.variable.distros![0]!.default).toBe('["bookworm","trixie"]');
    expect(bake.variable.variants![0]!.default).toBe('["release","debug"]');
    expect(Object.keys(bake.group).sort()).toEqual(["dalec-bake-hello", "default", "images", "packages", "tests", "tests-smoke"]);
  });
});
