// Version constraints on dependencies are honoured when installing, never silently dropped.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const spec = (constraint: string) => `name: constrained
version: 1.0
revision: 1
dependencies:
  build:
    make:
      version: ["${constraint}"]
sources:
  src:
    inline:
      file:
        contents: "all:\\n\\ttrue\\n"
build:
  steps:
    - command: make -f src
`;

describeEngine("dependency version constraints", () => {
  it("installs a build dependency that satisfies its constraint", async () => {
    requireEngine();
    const dir = tempDir();
    writeFileSync(join(dir, "spec.yml"), spec(">= 4.0"));
    expect((await runCli(["gen", "spec.yml"], dir)).code).toBe(0);
    const r = await execa(join(dir, "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-2000)).toBe(0);
  });

  it("fails the deps node when no version satisfies the constraint", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "spec.yml"), spec(">= 99"));
    expect((await runCli(["gen", "spec.yml"], dir)).code).toBe(0);
    const r = await execa(join(dir, "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/make \(>= 99\)/);
    expect(r.all).toMatch(/ERROR: .*apt-get satisfy/s);
  });
});
