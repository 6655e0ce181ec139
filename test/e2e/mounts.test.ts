// Sources mounted into build steps and tests, and a named build context, on the real engine
// (test/fixtures/mounts): the spec's own steps check each mount at its destination (a file
// source as the file, folders filtered by includes/excludes, inline sources with their mode and
// owner) and that no mounted source is left among the sources, and what its image source's
// commands made of their mounts (inline, http served by this test, an image, writable); its tests check theirs, each test from the image (a file one test writes
// is not there for the next, two tests mount different sources at one destination); the package
// holds what the steps made of them.
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("build step and test mounts, named build contexts", () => {
  const server = createServer((req, res) => (req.url === "/mount.txt" ? res.end("served over http\n") : res.writeHead(404).end()));
  afterAll(() => new Promise((ok) => server.close(ok)));

  it("mount each source where the spec says, for the build and for the tests", { timeout: 900_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-mounts-");
    cpSync(join(ROOT, "test/fixtures/mounts"), dir, { recursive: true });
    // The http mount of the image source's command: BuildKit downloads it from this process.
    server.listen(0, "127.0.0.1");
    await new Promise((ok) => server.once("listening", ok));
    const spec = join(dir, "mounts.yml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("http://127.0.0.1:1/", `http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
    const out = join(dir, "out");
    const g = await runCli(["gen", "--config", "dalec-bake.yaml", "--out", out], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    const pkgDir = join(out, "out", "pkg--mounted--bookworm--amd64");
    const deb = readdirSync(pkgDir).find((f) => f.endsWith(".deb"));
    expect(deb).toBeDefined();
    const all = await execa("sh", ["-c", `dpkg-deb --fsys-tarfile "$1" | tar -xOf - ./usr/share/mounted/all.txt`, "sh", join(pkgDir, deb!)]);
    expect(all.stdout).toBe("config file\nfrom the context\nhello from a named context");
  });
});
