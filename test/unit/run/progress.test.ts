// Attributing bake's progress to targets: a linked parent's steps are labelled with the child's
// name and the parent's stage, `<kind>` or `<kind>-<variant>` (build-none, fetch-1, fetch-m2).
import { describe, expect, it } from "vitest";
import { ProgressReader } from "../../../src/run/progress.js";

function feed(names: string[]): Map<string, string | undefined> {
  const parents: Record<string, string> = { build: "build--x", fetch: "fetch--x", sources: "sources--x" };
  const reader = new ProgressReader(new Set(["pkg--x"]), undefined, (label, stage) => (stage && parents[stage]) || label);
  names.forEach((name, i) => {
    for (const l of JSON.stringify({ vertexes: [{ digest: `sha256:${i}`, name, started: "t", completed: "t" }] }, null, 2).split("\n")) reader.line(l);
  });
  return new Map([...reader.steps.values()].map((s) => [s.name, s.target]));
}

describe("progress attribution", () => {
  it("gives a step to the node of its stage's kind, or to the label's own target", () => {
    const got = feed([
      "[pkg--x build-none 1/1] RUN bash /dalec/build.sh",
      "[pkg--x build-sandbox 1/1] RUN bash /dalec/build.sh",
      "[pkg--x fetch-1 4/4] RUN /bin/sh /dalec-step.sh",
      "[pkg--x fetch-m2 1/1] ADD http://example.invalid/f /file",
      "[pkg--x sources 1/1] RUN bash /dalec/gen/sources.sh",
      "[pkg--x stage-1 1/1] COPY --from=pkg /dalec/out/ /",
      "[pkg--x pkg 1/1] RUN bash /dalec/lib/pkg.sh",
      "[pkg--x internal] load build definition",
    ]);
    expect(Object.fromEntries(got)).toEqual({
      "[pkg--x build-none 1/1] RUN bash /dalec/build.sh": "build--x",
      "[pkg--x build-sandbox 1/1] RUN bash /dalec/build.sh": "build--x",
      "[pkg--x fetch-1 4/4] RUN /bin/sh /dalec-step.sh": "fetch--x",
      "[pkg--x fetch-m2 1/1] ADD http://example.invalid/f /file": "fetch--x",
      "[pkg--x sources 1/1] RUN bash /dalec/gen/sources.sh": "sources--x",
      "[pkg--x stage-1 1/1] COPY --from=pkg /dalec/out/ /": "pkg--x",
      "[pkg--x pkg 1/1] RUN bash /dalec/lib/pkg.sh": "pkg--x",
      "[pkg--x internal] load build definition": "pkg--x",
    });
  });
});
