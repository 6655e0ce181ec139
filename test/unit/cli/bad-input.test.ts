// Each bad input: one clear message with file:line:col, exit code 1, nothing written.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../../helpers/cli.js";

const B = "test/bad-input";

const cases: [string, string[], string][] = [
  ["a YAML syntax error", [`${B}/yaml-syntax.yml`], `${B}/yaml-syntax.yml:6:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`],
  ["an unknown field", [`${B}/unknown-field.yml`], `${B}/unknown-field.yml:7:3: unknown field "dependencies.runtim" in the spec (expected one of: build, extra_repos, recommends, runtime, sysext, test)`],
  ["a wrong type", [`${B}/wrong-type.yml`], `${B}/wrong-type.yml:6:12: "build.steps[0].env": expected a mapping, found a list`],
  ["an undeclared arg", [`${B}/undeclared-arg.yml`], `${B}/undeclared-arg.yml:5:11: build arg "REVISION" is used but not declared under args`],
  ["an opt-in arg not declared", [`${B}/undeclared-opt-in-arg.yml`], `${B}/undeclared-opt-in-arg.yml:5:11: opt-in arg "TARGETARCH" is used but not declared: add "TARGETARCH:" with no value under args`],
  ["a field not supported yet", [`${B}/unsupported-field.yml`], `${B}/unsupported-field.yml:3:1: "package_config" is not supported yet by dalec-bake`],
  ["an extra repo source not supported yet", [`${B}/unsupported-repo-source.yml`], `${B}/unsupported-repo-source.yml:10:13: "dependencies.extra_repos[0].data[0].spec": Dalec runs no generator on an extra repo's source; remove its generate`],
  ["a path on an image base", [`${B}/unsupported-base-path.yml`], `${B}/unsupported-base-path.yml:8:9: "image.bases.rootfs.path" is not supported yet by dalec-bake`],
  ["a build mounted by a build source's image command", [`${B}/unsupported-build-from.yml`], `${B}/unsupported-build-from.yml:14:21: a build source mounted by a build source's image command is not supported yet by dalec-bake`],
  ["two secrets for one git host of build sources", [`${B}/build-git-two-secrets.yml`], `${B}/build-git-two-secrets.yml:17:17: expected the token secret of another build source from git.example.invalid (ONE_TOKEN), found TWO_TOKEN: BuildKit reads one per host`],
  ["an extra repo's data missing from the context", [`${B}/repo-missing-data.yml`], `${B}/repo-missing-data.yml:9:38: extra repo source dependencies.extra_repos[0].data[0].spec: "no-such-repo-folder" does not exist in the build context`],
  ["a mode out of range", [`${B}/bad-mode.yml`], `${B}/bad-mode.yml:8:22: "sources.f.inline.file.permissions": expected a file mode between 0 and 0o7777, found the number 0o17777`],
  ["two kinds in one source", [`${B}/two-source-kinds.yml`], `${B}/two-source-kinds.yml:4:3: source "src" must have exactly one of inline, context, git, http, image, build; found inline and context`],
  ["a missing spec file", [`${B}/no-such.yml`], `${B}/no-such.yml: file not found`],
  ["a matrix naming a missing spec", ["--config", `${B}/matrix-missing-spec/dalec-bake.yaml`], `${B}/matrix-missing-spec/dalec-bake.yaml:3:5: no spec file matches "../no-such-spec.yml"`],
  ["an unknown distro in the matrix", ["--config", `${B}/matrix-unknown-distro/dalec-bake.yaml`], `${B}/matrix-unknown-distro/dalec-bake.yaml:2:21: unknown distro "buster" (expected one of: bullseye, bookworm, trixie, focal, jammy, noble, resolute, azlinux3, azlinux4, almalinux8, almalinux9, rockylinux8, rockylinux9)`],
  ["an RPM distro without its image", ["--config", `${B}/matrix-no-image/dalec-bake.yaml`], `${B}/matrix-no-image/dalec-bake.yaml:2:21: distro "azlinux3" has no built-in base image: name one under images (images: { azlinux3: <image> })`],
  ["an exclude naming an unknown value", ["--config", `${B}/matrix-bad-exclude/dalec-bake.yaml`], `${B}/matrix-bad-exclude/dalec-bake.yaml:6:34: "debug" is not a value of variant (expected one of: release)`],
  ["a template variable not set", ["--config", `${B}/matrix-template/dalec-bake.yaml`, "-t", "arch=amd64"], `${B}/matrix-template/dalec-bake.yaml:2:13: template variable "distro" is not set (pass -t distro=VALUE)`],
  ["a source filter file that is not there", ["--config", `${B}/matrix-filter-missing/dalec-bake.yaml`], `${B}/matrix-filter-missing/dalec-bake.yaml:2:16: source_filter: expected a source filter file, found no file "filter.yml" beside the matrix file`],
  ["a source filter pattern BuildKit refuses", ["--config", `${B}/matrix-filter-bad-pattern/dalec-bake.yaml`], `${B}/matrix-filter-bad-pattern/filter.yml:3:5: global_excludes: expected a "]" closing the class that "[" opens, found "[a"`],
  ["an unknown field in a source filter file", ["--config", `${B}/matrix-filter-unknown-key/dalec-bake.yaml`], `${B}/matrix-filter-unknown-key/filter.yml:1:1: unknown field "global_exclude" in the source filter file (expected one of: global_excludes)`],
  ["an excluded default vector", ["--config", `${B}/matrix-excluded-default/dalec-bake.yaml`], `${B}/matrix-excluded-default/dalec-bake.yaml:3:1: the default vector is excluded by an exclude entry`],
];

describe("bad input", () => {
  it.each(cases)("%s", async (_what, args, message) => {
    const out = join(tempDir(), "out");
    const r = await runCli(["gen", ...args, "--out", out], ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(`dalec-bake: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("the template variables, once given, make the same matrix valid", async () => {
    const out = join(tempDir(), "out");
    const args = ["gen", "--config", `${B}/matrix-template/dalec-bake.yaml`, "-t", "distro=trixie", "-t", "arch=arm64", "--out", out];
    const r = await runCli(args, ROOT);
    expect(r.stderr).toMatch(/written/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "docker-bake.hcl"), "utf8")).toContain('default = "[\\"trixie\\"]"');
  });
});

describe("context sources", () => {
  it("must exist in the build context", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "spec.yml"), "name: ctx\nversion: 1\nsources:\n  src:\n    context: {}\n    path: nowhere\n");
    const r = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe('dalec-bake: spec.yml:6:11: context source "src": "nowhere" does not exist in the build context');
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("must stay inside the build context", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "spec.yml"), "name: ctx\nversion: 1\nsources:\n  src:\n    context: {}\n    path: ../elsewhere\n");
    const r = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(r.stderr.split("\n")[0]).toBe('dalec-bake: spec.yml:6:11: context source "src": path "../elsewhere" must stay inside the build context');
  });
});
