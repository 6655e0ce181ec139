// Matrix file text -> Matrix: Handlebars variables (`-t name=value`) first, then YAML, shape and
// cross-field rules. Pure: spec globs are expanded by the caller and handed in.
import { dirname, resolve } from "node:path";
import Handlebars from "handlebars";
import { DISTROS } from "../distros.js";
import { UserError } from "../errors.js";
import { readYaml } from "../yaml/read.js";
import type { Path, SourceMap } from "../yaml/read.js";
import { parseWith } from "../yaml/validate.js";
import type { Axis, Matrix } from "./model.js";
import { matrixSchema } from "./schema.js";
import type { MatrixInput } from "./schema.js";

export interface MatrixDoc {
  file: string;
  input: MatrixInput;
  map: SourceMap;
}

export function renderTemplate(text: string, vars: Readonly<Record<string, string>>, file: string): string {
  try {
    return Handlebars.compile(text, { noEscape: true, strict: true })(vars);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /- (\d+):(\d+)$/.exec(msg) ?? /line (\d+)/.exec(msg);
    const loc = { file, line: Number(at?.[1] ?? 1), col: Number(at?.[2] ?? 0) + 1 };
    const missing = /"([^"]+)" not defined/.exec(msg);
    const text2 = missing
      ? `template variable "${missing[1]}" is not set (pass -t ${missing[1]}=VALUE)`
      : `invalid template: ${msg.split("\n")[0]}`;
    throw new UserError(text2, loc);
  }
}

export function parseMatrix(text: string, file: string, vars: Readonly<Record<string, string>>): MatrixDoc {
  const read = readYaml(renderTemplate(text, vars, file), file);
  return { file, input: parseWith(matrixSchema, read, "the matrix file"), map: read.map };
}

const NAME = /^[a-z0-9][a-z0-9_.]*(-[a-z0-9_.]+)*$/i;
const AXIS = /^[a-z][a-z0-9_]*$/;
// A repository as docker reads it: [host[:port]/]path, lowercase, no tag or digest.
const REPOSITORY = /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * `specFiles[i]` holds the files the i-th `specs` entry matched; `absFile` is where the matrix
 * file is (doc.file is the path as shown to the user).
 */
export function resolveMatrix(doc: MatrixDoc, absFile: string, specFiles: readonly string[][], nativeArch: string): Matrix {
  const { input, map } = doc;
  const fail = (msg: string, path: Path, key = false): never => {
    const loc = map.locate(path, key);
    throw new UserError(msg, loc, map.frame(loc));
  };
  input.specs.forEach((pattern, i) => {
    if (!specFiles[i]?.length) fail(`no spec file matches "${pattern}"`, ["specs", i]);
  });
  for (const d of Object.keys(input.images ?? {})) {
    if (!DISTROS[d]) fail(`images: unknown distro "${d}" (expected one of: ${Object.keys(DISTROS).join(", ")})`, ["images", d], true);
  }
  const distros = (input.distros ?? ["bookworm"]).map((d, i) => {
    const known = DISTROS[d];
    if (!known) fail(`unknown distro "${d}" (expected one of: ${Object.keys(DISTROS).join(", ")})`, ["distros", i]);
    const image = input.images?.[d] ?? known!.image;
    if (!image) fail(`distro "${d}" has no built-in base image: name one under images (images: { ${d}: <image> })`, ["distros", i]);
    return { ...known!, image };
  });
  const arches = input.arches ?? [nativeArch];
  arches.forEach((a, i) => {
    if (a !== "amd64" && a !== "arm64") fail(`unknown arch "${a}" (expected amd64 or arm64)`, ["arches", i]);
  });
  const axes: Axis[] = Object.entries(input.axes ?? {}).map(([name, values]) => {
    if (!AXIS.test(name) || name === "distro" || name === "arch" || name === "spec") {
      fail(`axis name "${name}" must be lowercase letters, digits and _ and not distro, arch or spec`, ["axes", name], true);
    }
    const entries = Object.entries(values);
    if (!entries.length) fail(`axis "${name}" needs at least one value`, ["axes", name], true);
    for (const [v] of entries) if (!NAME.test(v)) fail(`axis value "${v}" may hold only letters, digits, _ . and single -`, ["axes", name, v], true);
    return { name, values: entries.map(([v, args]) => ({ name: v, args })) };
  });
  for (const [list, what] of [[distros.map((d) => d.name), "distros"], [arches, "arches"]] as const) {
    const dup = list.find((x, i) => list.indexOf(x) !== i);
    if (dup) fail(`"${dup}" is listed twice in ${what}`, [what]);
  }
  const domain: Record<string, string[]> = { distro: distros.map((d) => d.name), arch: arches };
  for (const a of axes) domain[a.name] = a.values.map((v) => v.name);
  const checkVector = (vec: Record<string, string>, at: Path) => {
    for (const [k, v] of Object.entries(vec)) {
      const allowed = domain[k];
      if (!allowed) fail(`unknown coordinate "${k}" (expected one of: ${Object.keys(domain).join(", ")})`, [...at, k], true);
      if (!allowed!.includes(v)) fail(`"${v}" is not a value of ${k} (expected one of: ${allowed!.join(", ")})`, [...at, k]);
    }
  };
  checkVector(input.default ?? {}, ["default"]);
  (input.exclude ?? []).forEach((e, i) => checkVector(e, ["exclude", i]));
  const defaults: Record<string, string> = {};
  for (const [k, values] of Object.entries(domain)) defaults[k] = input.default?.[k] ?? values[0]!;
  if ((input.exclude ?? []).some((e) => Object.entries(e).every(([k, v]) => defaults[k] === v))) {
    fail("the default vector is excluded by an exclude entry", ["default"], true);
  }
  const specs = [...new Set(specFiles.flat())];
  for (const [value, path] of [[input.registry, ["registry"]], [input.cache?.registry, ["cache", "registry"]]] as const) {
    if (value !== undefined && !REPOSITORY.test(value)) fail(`"${value}" is not a repository reference (expected host[:port]/path in lowercase, no tag)`, [...path]);
  }
  return {
    file: absFile,
    specs,
    distros,
    arches,
    axes,
    defaults,
    exclude: input.exclude ?? [],
    contextDir: resolve(dirname(absFile), input.context ?? "."),
    contexts: Object.fromEntries(Object.entries(input.contexts ?? {}).map(([k, v]) => [k, resolve(dirname(absFile), v)])),
    // Read by io/inputs.ts, which fills it in.
    globalExcludes: [],
    registry: input.registry,
    cache: { registry: input.cache?.registry, gha: input.cache?.gha ?? false },
  };
}

/** The matrix used when specs are given alone: bookworm, the machine's arch, no user axes. */
export function defaultMatrix(specs: readonly string[], nativeArch: string, contextDir: string): Matrix {
  return {
    file: undefined,
    specs: [...specs],
    distros: [DISTROS.bookworm!],
    arches: [nativeArch],
    axes: [],
    defaults: { distro: "bookworm", arch: nativeArch },
    exclude: [],
    contextDir,
    contexts: {},
    globalExcludes: [],
    registry: undefined,
    cache: { registry: undefined, gha: false },
  };
}
