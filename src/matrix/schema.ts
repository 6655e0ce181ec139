// The shape of a matrix file (dalec-bake.yaml) as the user wrote it.
import { z } from "zod";
import { str } from "../spec/scalars.js";

const axisValue = z.record(z.string(), str).nullable().transform((v) => v ?? {});

export const matrixSchema = z
  .object({
    specs: z.array(z.string()).min(1).describe("Spec files or globs, relative to this file"),
    distros: z.array(z.string()).min(1).optional().describe("Distros to build (default: bookworm)"),
    arches: z.array(z.string()).min(1).optional().describe("Architectures to build (default: the machine's)"),
    images: z
      .record(z.string(), z.string())
      .optional()
      .describe("Base image per distro, over the built-in one (azlinux3 and azlinux4 have none built in)"),
    axes: z
      .record(z.string(), z.record(z.string(), axisValue))
      .optional()
      .describe("User axes: each value maps to build args passed to the spec's args"),
    default: z.record(z.string(), str).optional().describe("The default vector: one value per axis"),
    exclude: z.array(z.record(z.string(), str)).optional().describe("Vectors to leave out: every key must match"),
    context: z.string().optional().describe("Build context for `context` sources, relative to this file (default: its folder)"),
    contexts: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a name of letters, digits, '_', '.' and '-'"), z.string())
      .optional()
      .describe("Named build contexts that specs' `context: {name: ...}` sources read: name -> folder, relative to this file"),
    source_filter: z
      .string()
      .optional()
      .describe("A Dalec source filter file (YAML with global_excludes), relative to this file: its patterns are excluded from every folder source and from what generators make"),
    registry: z
      .string()
      .optional()
      .describe("Repository that `build --push` pushes to, e.g. 127.0.0.1:5000/hello: images, and the parents handed from one CI job to the next"),
    cache: z
      .object({
        registry: z.string().optional().describe("Repository for registry cache: each target reads and writes its own tag"),
        gha: z.boolean().optional().describe("In GitHub Actions, give each target its own gha cache scope"),
      })
      .strict()
      .optional()
      .describe("Build cache kept outside the builder"),
  })
  .strict();

export type MatrixInput = z.infer<typeof matrixSchema>;
