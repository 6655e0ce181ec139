// `dalec-bake schema`: a JSON Schema that a standard validator (ajv, JSON Schema 2020-12)
// accepts every real Dalec spec with, unlike Dalec's published one, and that rejects the
// bad-input files whose fault is one of shape (the cross-field rules are lint's).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CORPUS, ROOT, runCli } from "../../helpers/cli.js";

const readYaml = (file: string): unknown => parse(readFileSync(file, "utf8"), { merge: true, version: "1.2" });

async function validator(kind: string) {
  const r = await runCli(["schema", kind], ROOT);
  expect(r.code).toBe(0);
  return new Ajv2020({ strict: false, allErrors: false }).compile(JSON.parse(r.stdout) as object);
}

describe("dalec-bake schema", () => {
  it("accepts all 20 specs of Dalec's corpus", async () => {
    const validate = await validator("spec");
    const files = readdirSync(CORPUS).filter((f) => f.endsWith(".yml"));
    expect(files).toHaveLength(20);
    for (const f of files) expect(validate(readYaml(join(CORPUS, f))) ? "ok" : `${f}: ${JSON.stringify(validate.errors)}`).toBe("ok");
  });

  it("rejects the bad-input files whose shape is wrong", async () => {
    const validate = await validator("spec");
    const shape = ["unknown-field.yml", "wrong-type.yml", "rules/git-unknown-field.yml", "rules/mode-string.yml", "rules/unknown-top-field.yml",
      "rules/step-no-command.yml", "rules/http-no-url.yml", "rules/link-no-dest.yml", "rules/changelog-no-date.yml", "rules/dependency-bad-version.yml",
      "rules/systemd-dropin-no-unit.yml", "rules/target-unknown-field.yml"];
    for (const f of shape) expect(validate(readYaml(join(ROOT, "test/bad-input", f))), f).toBe(false);
  });

  it("prints a matrix file schema the example's matrix file passes", async () => {
    const validate = await validator("matrix");
    expect(validate(readYaml(join(ROOT, "examples/hello/dalec-bake.yaml")))).toBe(true);
    expect(validate({ specs: ["a.yml"], distro: ["bookworm"] })).toBe(false);
  });

  it("names what it expected for an unknown kind", async () => {
    const r = await runCli(["schema", "rpm"], ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dalec-bake: schema: expected "spec" or "matrix", found "rpm"\n');
  });
});
