// Every artifact kind and package feature on the real engine: test/fixtures/kitchen.yml's own
// Dalec tests check, in the image the .deb was installed into with apt-get, each file at Dalec's
// location, the users, groups, owners, capabilities, links and systemd units its maintainer
// scripts set up, the package relations and changelog; lintian finds no error but the one the spec asks for.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

describeEngine("artifacts, maintainer scripts and package relations", () => {
  it("installs and passes the fixture's own tests on bookworm amd64; lintian errs only on /opt", { timeout: 900_000 }, async () => {
    requireEngine();
    const out = tempDir("dalec-bake-kitchen-");
    const g = await runCli(["gen", join(ROOT, "test/fixtures/kitchen.yml"), "--out", out], out);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(out, "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    const dir = join(out, "out", "pkg--kitchen--bookworm--amd64");
    const [deb] = readdirSync(dir);
    expect(deb).toBe("kitchen_1.2.3-debian12u4_amd64.deb");
    // The image config: Dalec's volumes, stop signal, entrypoint, env (the spec's PATH in place
    // of the base's; the fixture's first test saw neither), labels and working dir, each value
    // as the spec wrote it (newlines, dollars, backslashes and quotes too).
    const inspect = await execa("docker", ["image", "inspect", "dalec-bake/kitchen:bookworm-amd64", "--format", "{{json .Config}}"]);
    const config = JSON.parse(inspect.stdout) as Record<string, unknown>;
    expect([config.Volumes, config.StopSignal, config.Entrypoint, config.Env, config.WorkingDir, (config.Labels as Record<string, string>)["org.example.notes"]]).toEqual([
      { "/var/lib/kitchen": {} },
      "SIGINT",
      ["/usr/bin/tool"],
      ["PATH=/opt/kitchen/bin", "KITCHEN_HOME=/var/lib/kitchen", 'KITCHEN_MOTD=hello\nworld $HOME \\ "q"'],
      "/srv/$KITCHEN",
      'line one\nline two \\ "q"\n',
    ]);
    const l = await execa("lintian", ["--tag-display-limit", "0", join(dir, deb!)], { reject: false, all: true });
    // The one error is the spec's own choice: Dalec's `opt` artifacts go to /opt, which Debian
    // policy keeps for the local administrator.
    expect((l.all ?? "").split("\n").filter((line) => line.startsWith("E: "))).toEqual([
      "E: kitchen: dir-or-file-in-opt [opt/kitchen/]",
      "E: kitchen: dir-or-file-in-opt [opt/kitchen/run.sh]",
    ]);
  });
});
