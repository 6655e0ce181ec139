// Any string dalec-bake writes into docker-bake.hcl reaches bake unchanged, as the real
// `docker buildx bake --print` reads it: quotes, backslashes, `${`, `%{`, newlines, tabs,
// control characters and unicode (bake normalises to NFC, as HCL does).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { expect, it } from "vitest";
import { z } from "zod";
import { hclObject, hclString } from "../../src/render/hcl.js";
import { tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const printed = z.object({ target: z.record(z.string(), z.object({ args: z.record(z.string(), z.string()) })) });

describeEngine("HCL strings through the real bake", () => {
  it("come out of bake --print exactly as they went in", { timeout: 120_000 }, async () => {
    requireEngine();
    const special = ["${x}", "%{ if true }y%{ endif }", "$${", "a\\b\\\\c", '"q"', "line\nline", "tab\there", "\u00e9\u0301 \u{1F600} \u4e2d", "\u0001\u007f", "$", "%", "{}", "$$"];
    // Bake drops a NUL and turns \r\n into \n, as files do; strings here have neither.
    const random = fc.sample(fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/[\0\r]/g, "")), { numRuns: 300, seed: 20261121 });
    const values = [...special, ...random];
    const dir = tempDir("dalec-bake-hclstr-");
    const entries = values.map((v, i) => [`a${i}`, hclString(v)] as const);
    writeFileSync(join(dir, "docker-bake.hcl"), `target "t" {\n  args = ${hclObject(entries)}\n}\n`);
    const r = await execa("docker", ["buildx", "bake", "--print", "t"], { cwd: dir, env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    const args = printed.parse(JSON.parse(r.stdout)).target.t!.args;
    values.forEach((v, i) => expect(args[`a${i}`], JSON.stringify(v)).toBe(v.normalize("NFC")));
  });
});
