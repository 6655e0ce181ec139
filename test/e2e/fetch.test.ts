// Image and build sources on the real engine (test/fixtures/fetch-context/fetch.yml): commands
// run in an image with the build context mounted, their kept path starting empty; a nested
// Dockerfile build with a target and args; both laid out by the fetch node for the build.
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("image and build sources, generators", () => {
  it("are fetched once, filtered, built from and tested", { timeout: 900_000 }, async () => {
    requireEngine();
    const out = tempDir("dalec-bake-fetch-");
    const g = await runCli(["gen", "fetch.yml", "--out", out], join(ROOT, "test/fixtures/fetch-context"));
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    // The nested build's other stage was not built, and the fetch node ran its two steps.
    expect(r.all).not.toContain("COPY hello /not-this");
    expect(r.all).toMatch(/ fetch-1 4\/4\] RUN/);
  });

  it("runs a nodemod generator once in the sources node, for a build without network", { timeout: 900_000 }, async () => {
    requireEngine();
    const out = tempDir("dalec-bake-nodemod-");
    const g = await runCli(["gen", "nodemod.yml", "--out", out], join(ROOT, "test/fixtures/fetch-context"));
    expect(g.code, g.stderr).toBe(0);
    // These machines reach the npm registry through a TLS-inspecting proxy: its CA comes in as
    // the optional secret, as it would for any user behind one.
    const env = cleanEnv({ DALEC_BAKE_CA_CERTS: process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt" });
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
  });
});
