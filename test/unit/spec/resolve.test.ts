// Dalec's semantics for one leaf: substitution, targets merging, artifacts, tests.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DISTROS } from "../../../src/distros.js";
import { UserError } from "../../../src/errors.js";
import { parseSpec } from "../../../src/spec/load.js";
import { resolveSpec } from "../../../src/spec/resolve.js";
import { CORPUS } from "../../helpers/cli.js";

const leaf = (distro = "bookworm", arch = "amd64", args: Record<string, string> = {}) => ({ distro: DISTROS[distro]!, arch, args });

const SPEC = `
args:
  VERSION: 1.0
  MODE: release
  TARGETARCH:
  DALEC_TARGET:
name: demo
version: \${VERSION}
revision: 2
dependencies:
  build: [gcc, make]
  runtime:
    libfoo:
      version: ["> 1.0", "<= 2"]
    only-arm:
      arch: [arm64]
  test: { bash: }
build:
  env:
    MODE: \${MODE}
    ARCH: \${TARGETARCH}
  steps:
    - command: make MODE=\${MODE}
      env:
        T: \${DALEC_TARGET}
artifacts:
  binaries:
    out/demo: { subpath: sub, permissions: 0o700 }
  manpages:
    man/demo.8: {}
  docs:
    README: {}
  configFiles:
    demo.conf: { subpath: demo, name: main.conf }
image:
  entrypoint: /usr/bin/demo --serve
  env: [A=1]
  labels:
    version: \${VERSION}
targets:
  trixie:
    dependencies:
      build: { clang: }
    image:
      env: [B=2]
      labels: { distro: trixie }
      cmd: "--port '80 80'"
    tests:
      - name: trixie only
        steps: [{ command: "true" }]
tests:
  - name: version
    steps:
      - command: demo --version
        stdout: { equals: "demo \${VERSION} (\${MODE})\\n" }
`;

describe("resolveSpec", () => {
  const spec = parseSpec(SPEC, "demo.yml");

  it("substitutes args in the fields Dalec substitutes, never in commands", () => {
    const r = resolveSpec(spec, leaf("bookworm", "arm64", { MODE: "debug" }));
    expect(r.version).toBe("1.0");
    expect(r.revision).toBe("2");
    expect(r.buildEnv).toEqual([["MODE", "debug"], ["ARCH", "arm64"]]);
    expect(r.steps[0]).toEqual({ command: "make MODE=${MODE}", env: [["T", "bookworm"]], mounts: [] });
    expect(r.tests[0]!.steps[0]!.stdout).toEqual({ equals: "demo 1.0 (debug)\n" });
  });

  it("gives an arg declared with no value nothing, and a platform arg the target's value over its default", () => {
    const s = parseSpec("args:\n  SUFFIX:\n  TARGETARCH: amd64\nname: d\nversion: 1\nrevision: 1${SUFFIX}\nbuild:\n  env:\n    ARCH: ${TARGETARCH}\n  steps:\n    - command: \"true\"\n", "spec.yml");
    const r = resolveSpec(s, leaf("bookworm", "arm64"));
    expect(r.revision).toBe("1");
    expect(r.buildEnv).toEqual([["ARCH", "arm64"]]);
    expect(resolveSpec(s, leaf("bookworm", "arm64", { SUFFIX: "x" })).revision).toBe("1x");
  });

  it("expands BuildKit's pattern modifiers: prefix and suffix removal, replacement, required values", () => {
    const yaml = (v: string) => `args:\n  VERSION: 1.2.3\n  EMPTY:\nname: d\nversion: "${v}"\n`;
    const version = (v: string) => resolveSpec(parseSpec(yaml(v), "spec.yml"), leaf()).version;
    expect(version("${VERSION%.*}")).toBe("1.2");
    expect(version("${VERSION%%.*}")).toBe("1");
    expect(version("${VERSION#*.}")).toBe("2.3");
    expect(version("${VERSION##*.}")).toBe("3");
    expect(version("${VERSION/./-}")).toBe("1-2.3");
    expect(version("${VERSION//./-}")).toBe("1-2-3");
    expect(version("v${VERSION%.?}x")).toBe("v1.2x");
    expect(version("${VERSION:?set it}")).toBe("1.2.3");
    expect(() => version("${EMPTY:?set it}")).toThrow(UserError);
    expect(() => version("${EMPTY:?set it}")).toThrow('build arg "EMPTY": set it');
  });

  it("substitutes args in a patch's path, as Dalec does", () => {
    const yaml = "args:\n  VERSION: 1.2\nname: d\nversion: 1\nsources:\n  src: { inline: { dir: {} } }\n  fixes: { inline: { dir: {} } }\npatches:\n  src:\n    - { source: fixes, path: \"v${VERSION}/a.patch\" }\n";
    expect(resolveSpec(parseSpec(yaml, "spec.yml"), leaf()).patches.map((p) => p.file)).toEqual(["fixes/v1.2/a.patch"]);
    const undeclared = parseSpec(yaml.replace("${VERSION}", "${NOPE}"), "spec.yml");
    const e = (() => {
      try {
        resolveSpec(undeclared, leaf());
        return undefined;
      } catch (err) {
        return err as UserError;
      }
    })();
    expect(e?.render()).toMatch(/^spec\.yml:10:30: build arg "NOPE" is used but not declared/);
  });

  it("ignores axis args the spec does not declare", () => {
    expect(resolveSpec(spec, leaf("bookworm", "amd64", { OTHER: "x" })).buildEnv[0]).toEqual(["MODE", "release"]);
  });

  it("writes dependency constraints in Debian syntax and honours arch lists", () => {
    const amd = resolveSpec(spec, leaf());
    expect(amd.deps.runtime).toEqual([{ name: "libfoo", version: [">> 1.0", "<= 2"], arch: [], where: "demo.yml: dependencies.runtime.libfoo" }]);
    expect(resolveSpec(spec, leaf("bookworm", "arm64")).deps.runtime.map((d) => d.name)).toEqual(["libfoo", "only-arm"]);
    expect(amd.deps.build.map((d) => d.name)).toEqual(["gcc", "make"]);
  });

  it("loads Dalec's sysext dependencies and keeps them out of the package", () => {
    const src = "name: s\nversion: 1\ndependencies:\n  runtime: [jq]\n  sysext:\n    zstd:\n      version: ['>=1.5.0']\ntargets:\n  bookworm:\n    dependencies:\n      sysext: { zsh: }\n";
    const r = resolveSpec(parseSpec(src, "s.yml"), leaf());
    expect(Object.values(r.deps).flat().map((d) => d.name)).toEqual(["jq"]);
    expect(() => parseSpec("name: s\nversion: 1\ndependencies:\n  sysext:\n    zstd:\n      colour: red\n", "s.yml")).toThrow(UserError);
  });

  it("merges the distro's targets entry as Dalec does", () => {
    const t = resolveSpec(spec, leaf("trixie"));
    expect(t.deps.build.map((d) => d.name)).toEqual(["clang"]); // replaced per category
    expect(t.deps.test.map((d) => d.name)).toEqual(["bash"]); // kept when not overridden
    expect(t.image.env).toEqual(["A=1", "B=2"]); // appended
    expect(t.image.labels).toEqual([["version", "1.0"], ["distro", "trixie"]]); // merged
    expect(t.image.entrypoint).toEqual(["/usr/bin/demo", "--serve"]);
    expect(t.image.cmd).toEqual(["--port", "80 80"]);
    expect(t.tests.map((x) => x.name)).toEqual(["version", "trixie only"]); // appended
    expect(resolveSpec(spec, leaf("bookworm")).tests.map((x) => x.name)).toEqual(["version"]);
  });

  it("merges targets with Dalec's edge cases: empty categories, empty lists and strings, bases: []", () => {
    const spec = parseSpec(`name: demo
version: 1.0
args: { V: "2" }
dependencies:
  build: { gcc: {} }
  recommends: { bar: { version: [">= \${V}"] } }
  runtime:
    not-arm: { arch: ["!arm64"] }
    any-amd: { arch: [any-amd64] }
    loose: { version: [">1.2", "<2"] }
provides: { p1: {} }
conflicts: { c1: {} }
image:
  entrypoint: /usr/bin/foo
  working_dir: /srv
  user: app
  bases: [{ rootfs: { image: { ref: "example.com/base:1" } } }]
  post:
    symlinks:
      /usr/bin/foo: { path: /foo, user: app, group: grp }
targets:
  bookworm:
    dependencies: { build: {} }
    provides: []
    conflicts: {}
    image: { entrypoint: "", working_dir: "", user: "", bases: [] }
`, "spec.yml");
    const r = resolveSpec(spec, leaf());
    expect(r.deps.build.map((d) => d.name)).toEqual(["gcc"]);
    expect(r.provides.map((d) => d.name)).toEqual(["p1"]);
    expect(r.conflicts).toEqual([]);
    // recommends are not substituted (Dalec substitutes build and runtime versions only)
    expect(r.deps.recommends[0]!.version).toEqual([">= ${V}"]);
    expect(r.deps.runtime.map((d) => [d.name, d.version])).toEqual([["any-amd", []], ["loose", [">= 1.2", "<= 2"]], ["not-arm", []]]);
    expect(resolveSpec(spec, leaf("bookworm", "arm64")).deps.runtime.map((d) => d.name)).toEqual(["loose"]);
    expect([r.image.entrypoint, r.image.workingDir, r.image.user, r.image.base]).toEqual([["/usr/bin/foo"], "/srv", "app", undefined]);
    expect(r.image.symlinks).toEqual([{ old: "/usr/bin/foo", link: "/foo", user: "app", group: "grp" }]);
    expect(resolveSpec(spec, leaf("trixie")).image.base).toBe("example.com/base:1");
  });

  it("installs artifacts at Dalec's locations", () => {
    const none = { user: undefined, group: undefined, caps: [] };
    expect(resolveSpec(spec, leaf()).artifacts.files).toEqual([
      { kind: "binaries", src: "out/demo", dir: "/usr/bin/sub", name: "", mode: 0o700, ...none },
      { kind: "manpages", src: "man/demo.8", dir: "", name: "", mode: undefined, ...none },
      { kind: "configFiles", src: "demo.conf", dir: "/etc/demo", name: "main.conf", mode: undefined, ...none },
      { kind: "docs", src: "README", dir: "/usr/share/doc/demo", name: "", mode: undefined, ...none },
    ]);
  });
});

describe("Dalec's corpus", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".yml")).sort();

  it("loads all 20 real specs unchanged", () => {
    expect(files).toHaveLength(20);
    for (const f of files) expect(() => parseSpec(readFileSync(join(CORPUS, f), "utf8"), f), f).not.toThrow();
  });

  it("resolves every spec for bookworm", () => {
    const outcome: Record<string, string> = {};
    for (const f of files) {
      try {
        resolveSpec(parseSpec(readFileSync(join(CORPUS, f), "utf8"), f), leaf());
        outcome[f] = "ok";
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        outcome[f] = e.message;
      }
    }
    expect(outcome).toEqual({
      "cmd-src-ref.yml": "ok",
      "config-and-systemd.yml": "ok",
      "env-multiple-commands.yml": "ok",
      "go-md2man.yml": "ok",
      "hello.inline.yml": "ok",
      "kubernetes-patch.yml": "ok",
      "local-context.yml": "ok",
      "moby-containerd.yml": "ok",
      "moby-runc.yml": "ok",
      "my-daemon.kitchensink.yml": "ok",
      "nested.yml": "ok",
      "patch-during-build.yml": "ok",
      "platform-vars.yml": "ok",
      "source-inline.yml": "ok",
      "sourcemap-test-bad-builddep.yml": "ok",
      "sourcemap-test-bad-sources.yml": "ok",
      "sourcemap-test-bad-test.yml": "ok",
      "systemd-unit.yml": "ok",
      "test-framework.yml": "ok",
      "website-virtual-package-base.yml": "ok",
    });
  });
});
