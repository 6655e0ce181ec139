// The library API: the same stages the CLI runs, for programs that drive dalec-bake.
export { main } from "./cli/main.js";
export type { Io } from "./cli/main.js";
export { generate } from "./cli/gen.js";
export type { GenOptions } from "./cli/gen.js";
export { parseSpec } from "./spec/load.js";
export type { LoadedSpec } from "./spec/load.js";
export { resolveSpec } from "./spec/resolve.js";
export type { ResolvedSpec } from "./spec/model.js";
export { parseMatrix, resolveMatrix, defaultMatrix } from "./matrix/load.js";
export type { Matrix, Vector } from "./matrix/model.js";
export { vectors } from "./graph/vectors.js";
export { renderTree } from "./render/tree.js";
export { UserError } from "./errors.js";
