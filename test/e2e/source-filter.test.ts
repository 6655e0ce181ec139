// A build-time source filter on the real engine (test/fixtures/source-filter): the matrix
// file's `source_filter` names a Dalec source filter file, and its `global_excludes` are gone
// from every folder source the build sees (a folder of the build context, an inline folder, the
// node_modules a nodemod generator made) and from a test's mounted folder, while a file source
// stays; the fixture's own build steps and test check each.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("a build-time source filter", () => {
  it("excludes its patterns from every folder source and from what generators made", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-source-filter-");
    cpSync(join(ROOT, "test/fixtures/source-filter"), dir, { recursive: true });
    const out = join(dir, "out");
    const g = await runCli(["gen", "--config", "dalec-bake.yaml", "--out", out], dir);
    expect(g.code, g.stderr).toBe(0);
    // The nodemod generator reaches the npm registry, through these machines' TLS-inspecting
    // proxy: its CA comes in as the optional secret, as it would for any user behind one.
    const env = cleanEnv({ DALEC_BAKE_CA_CERTS: process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt" });
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
  });
});
