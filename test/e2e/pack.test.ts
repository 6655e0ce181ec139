// What gets published is complete: `npm pack`, then the packed CLI gens in an empty folder, and
// every shell script it generates passes Debian's shellcheck.
import { copyFileSync, readdirSync } from "node:fs";
import { basename } from "node:path";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS, ROOT, listFiles, tempDir } from "../helpers/cli.js";

describe("the packed tool", () => {
  let tarball: string;

  beforeAll(async () => {
    const dir = tempDir("dalec-bake-pack-");
    await execa("npm", ["pack", "--pack-destination", dir], { cwd: ROOT });
    const [file] = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
    tarball = join(dir, file!);
  });

  it("gens from a spec in an empty folder with npx", async () => {
    const work = tempDir("dalec-bake-npx-");
    copyFileSync(tarball, join(work, basename(tarball)));
    const r = await execa("npx", ["--yes", `./${basename(tarball)}`, "gen", join(CORPUS, "hello.inline.yml")], { cwd: work, all: true, reject: false });
    expect(r.exitCode, r.all).toBe(0);
    const files = listFiles(work);
    expect(files).toContain("docker-bake.hcl");
    expect(files).toContain("dockerfiles/Dockerfile.build");
    expect(files).toContain("gen/hello-inline/build/build.sh");
  });

  it("generates shell scripts that pass shellcheck", async () => {
    const work = tempDir("dalec-bake-sc-");
    copyFileSync(tarball, join(work, basename(tarball)));
    const r = await execa("npx", ["--yes", `./${basename(tarball)}`, "gen", "--config", join(ROOT, "examples/hello/dalec-bake.yaml"), "--out", work], { cwd: work, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    // And specs of Dalec's corpus that use patches, http and git sources, systemd units, users
    // and the other maintainer-script features.
    const corpus = ["config-and-systemd", "kubernetes-patch", "moby-runc", "my-daemon.kitchensink", "systemd-unit"].map((s) => join(CORPUS, `${s}.yml`));
    const c = await execa("npx", ["--yes", `./${basename(tarball)}`, "gen", ...corpus, "--out", "corpus"], { cwd: work, reject: false, all: true });
    expect(c.exitCode, c.all).toBe(0);
    const files = listFiles(work);
    const scripts = files.filter((f) => f.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThan(20);
    const sc = await execa("shellcheck", ["-x", "--shell=bash", "--severity=style", ...scripts], { cwd: work, reject: false, all: true });
    expect(sc.exitCode, sc.all).toBe(0);
    // Maintainer scripts run under /bin/sh.
    const maintainer = files.filter((f) => /\/(postinst|prerm|postrm)$/.test(f));
    expect(maintainer.length).toBeGreaterThan(3);
    const ms = await execa("shellcheck", ["--shell=sh", "--severity=style", ...maintainer], { cwd: work, reject: false, all: true });
    expect(ms.exitCode, ms.all).toBe(0);
  });
});
