// The RPM family: no base image can be had here, so the proof is what can run. The tree for
// azlinux3/4, almalinux8/9 and rockylinux8/9 evaluates under the real `docker buildx bake --print`,
// and the generated package.spec goes through the real rpmbuild (Debian's rpm package) with
// lib/rpm.sh, from a staging root laid out as the build node lays it out; rpm then reads back
// the package's metadata, scripts and files.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const MATRIX = `specs: [${JSON.stringify(join(ROOT, "test/fixtures/kitchen.yml"))}]
distros: [almalinux8, almalinux9, rockylinux8, rockylinux9, azlinux3, azlinux4]
arches: [amd64, arm64]
images: { azlinux3: "azurelinux/base/core:3.0", azlinux4: "azurelinux/base/core:4.0" }
`;

describeEngine("the RPM family", () => {
  it("gens a tree bake --print evaluates, with an .rpm per package node", async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-rpm-");
    writeFileSync(join(dir, "dalec-bake.yaml"), MATRIX);
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const p = await execa("docker", ["buildx", "bake", "--print", "packages", "images", "tests"], { cwd: join(dir, "out"), env: cleanEnv(), extendEnv: false });
    const targets = (JSON.parse(p.stdout) as { target: Record<string, { args?: Record<string, string> }> }).target;
    expect(Object.keys(targets).filter((t) => t.startsWith("pkg--")).sort()).toEqual(
      ["almalinux8", "almalinux9", "azlinux3", "azlinux4", "rockylinux8", "rockylinux9"].flatMap((d) => [`pkg--kitchen--${d}--amd64`, `pkg--kitchen--${d}--arm64`]),
    );
    expect(targets["system--almalinux9--amd64"]?.args?.BASE_IMAGE).toBe("almalinux:9");
    expect(targets["system--azlinux3--arm64"]?.args?.BASE_IMAGE).toBe("azurelinux/base/core:3.0");
    expect(targets["system--rockylinux8--arm64"]?.args?.BASE_IMAGE).toBe("rockylinux:8");
    expect(targets["system--azlinux4--amd64"]?.args?.BASE_IMAGE).toBe("azurelinux/base/core:4.0");
  });

  it("builds an .rpm from the generated spec with the real rpmbuild", { timeout: 120_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-rpm-");
    writeFileSync(join(dir, "dalec-bake.yaml"), MATRIX);
    expect((await runCli(["gen", "--out", "out"], dir)).code).toBe(0);
    const root = join(dir, "root");
    for (const d of ["usr/bin", "etc/kitchen", "var/lib/kitchen", "usr/lib/systemd/system"]) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, "usr/bin/tool"), "#!/bin/sh\necho tool\n", { mode: 0o755 });
    writeFileSync(join(root, "etc/kitchen/kitchen.conf"), "port=1\n");
    writeFileSync(join(root, "usr/lib/systemd/system/kitchen.service"), "[Unit]\n");
    symlinkSync("/usr/bin/tool", join(root, "usr/bin/kt"));
    const out = join(dir, "rpms");
    // One pkg folder serves all six distros: their specs are the same (%{?dist} differs at build).
    const gen = join(dir, "out/gen/kitchen");
    expect(readdirSync(gen).filter((f) => f.startsWith("pkg"))).toEqual(["pkg"]);
    const r = await execa("bash", [join(ROOT, "dockerfiles/lib/pkg.sh"), join(gen, "pkg"), root, out], { reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    const [rpm] = readdirSync(out);
    expect(rpm).toMatch(/^kitchen-1\.2\.3-4\.[a-z0-9_]+\.rpm$/);
    const q = async (...args: string[]) => (await execa("rpm", ["-qp", ...args, join(out, rpm!)])).stdout;
    expect((await q("--provides")).split("\n")).toContain("kitchen-tools");
    expect(await q("--conflicts")).toBe("old-kitchen");
    expect(await q("--obsoletes")).toBe("old-kitchen < 1.0");
    // Dalec's RPM template writes every Recommends as the spec lists it and rpmbuild keeps them:
    // procps stays here though it is also a Requires (only dpkg-gencontrol simplifies).
    expect(await q("--recommends")).toBe("less\nprocps");
    expect((await q("--requires")).split("\n")).toContain("procps");
    expect((await q("-l")).split("\n").sort()).toEqual(["/etc/kitchen/kitchen.conf", "/usr/bin/kt", "/usr/bin/tool", "/usr/lib/systemd/system/kitchen.service", "/var/lib/kitchen"]);
    expect(await q("-c")).toBe("/etc/kitchen/kitchen.conf");
    const scripts = await q("--scripts");
    expect(scripts).toContain("getent passwd kitchen >/dev/null || useradd kitchen");
    expect(scripts).toContain("setcap cap_net_bind_service+ep /usr/bin/tool");
    expect(scripts).toContain("systemctl enable kitchen.service");
    expect(await q("--changelog")).toMatch(/^\* Mon Mar 04 2024 Kitchen Team <kitchen@example.invalid> - 1\.2\.3-4\n- Newest entry/);
  });
});
