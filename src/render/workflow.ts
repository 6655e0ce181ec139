// .github/workflows/dalec-bake.yml: a prepare job computes each level's matrix with
// `dalec-bake matrix`; one matrix job per level builds its shards, pushes to the registry and
// uploads the digests it pushed as an artifact; the next level's jobs download them all and read
// their parents from the registry by digest; a merge job joins per-arch images into
// multi-arch ones. The workflow holds no target names: they come from the matrix file at run
// time, so editing the matrix file never needs a new workflow, only adding levels does.
import { stringify } from "yaml";
import { EARLIER } from "../run/digests.js";
import { STAMP } from "./shell.js";

export interface WorkflowInput {
  /** Levels of the tree, in order, with the stages each builds (for job names). */
  levels: { level: number; stages: string[] }[];
  /** The level whose jobs push the images, which the merge job waits for. */
  imageLevel: number;
  /** Host of the registry the matrix file names, or undefined for Docker Hub. */
  registryHost: string | undefined;
  /** `npx --yes dalec-bake@<version>`. */
  invoke: string;
  /** `--config X --out Y`, as the workflow passes them. */
  args: string;
  /**
   * Where `build --push` keeps the digests it pushed (`<out>/digests`), from the repository's
   * root. Downloads go to its `earlier/` folder, so that a job uploads only its own records.
   */
  digests: string;
  runners: Record<string, string>;
  gha: boolean;
}

const CHECKOUT = { uses: "actions/checkout@v4" };
const NODE = { uses: "actions/setup-node@v4", with: { "node-version": 20 } };

export function renderWorkflow(w: WorkflowInput): string {
  const runnerArg = Object.entries(w.runners).map(([a, l]) => `${a}=${l}`).join(",");
  const login = {
    uses: "docker/login-action@v3",
    with: {
      ...(w.registryHost ? { registry: w.registryHost } : {}),
      username: "${{ secrets.DALEC_BAKE_REGISTRY_USER || github.actor }}",
      password: "${{ secrets.DALEC_BAKE_REGISTRY_PASSWORD || secrets.GITHUB_TOKEN }}",
    },
  };
  const builder = [
    { uses: "docker/setup-qemu-action@v3" },
    { uses: "docker/setup-buildx-action@v3" },
    ...(w.gha ? [{ name: "Expose the GitHub cache to buildx", uses: "crazy-max/ghaction-github-runtime@v3" }] : []),
    login,
  ];
  const out = (l: number) => `level${l}`;
  const jobs: Record<string, unknown> = {
    prepare: {
      "runs-on": "ubuntu-latest",
      outputs: Object.fromEntries([...w.levels.map((l) => [out(l.level), `\${{ steps.matrix.outputs.${out(l.level)} }}`]), ["merge", "${{ steps.matrix.outputs.merge }}"]]),
      steps: [
        CHECKOUT,
        NODE,
        {
          id: "matrix",
          name: "Shard the tree into jobs, level by level",
          run: [
            ...w.levels.map((l) => `echo "${out(l.level)}=$(${w.invoke} matrix ${w.args} --level ${l.level} --runner ${runnerArg})" >> "$GITHUB_OUTPUT"`),
            `echo "merge=$(${w.invoke} matrix ${w.args} --merge)" >> "$GITHUB_OUTPUT"`,
          ].join("\n"),
        },
      ],
    },
  };
  let previous: string | undefined;
  for (const l of w.levels) {
    const id = `level-${l.level}`;
    jobs[id] = {
      name: `level ${l.level} (${l.stages.join(", ")}): \${{ matrix.name }}`,
      needs: previous ? ["prepare", previous] : ["prepare"],
      // An empty level is skipped without skipping the levels after it.
      if: `\${{ !failure() && !cancelled() && fromJSON(needs.prepare.outputs.${out(l.level)}).include[0] }}`,
      strategy: { "fail-fast": false, matrix: `\${{ fromJSON(needs.prepare.outputs.${out(l.level)}) }}` },
      "runs-on": "${{ matrix.runner }}",
      env: { DALEC_BAKE_RUN: "${{ github.run_id }}" },
      steps: [
        CHECKOUT,
        NODE,
        ...builder,
        ...(previous
          ? [
              {
                name: "Digests the earlier levels pushed",
                uses: "actions/download-artifact@v4",
                with: { pattern: "dalec-bake-digests-*", "merge-multiple": true, path: `${w.digests}/${EARLIER}` },
              },
            ]
          : []),
        { name: "Build and push", run: "${{ matrix.command }}" },
        {
          name: "Digests this job pushed",
          uses: "actions/upload-artifact@v4",
          with: { name: "dalec-bake-digests-${{ matrix.id }}", path: `${w.digests}/*.json`, "if-no-files-found": "ignore", overwrite: true, "retention-days": 1 },
        },
      ],
    };
    previous = id;
  }
  jobs.merge = {
    name: "merge ${{ matrix.name }}",
    needs: ["prepare", `level-${w.imageLevel}`],
    if: "${{ !failure() && !cancelled() && fromJSON(needs.prepare.outputs.merge).include[0] }}",
    strategy: { "fail-fast": false, matrix: "${{ fromJSON(needs.prepare.outputs.merge) }}" },
    "runs-on": "ubuntu-latest",
    steps: [{ uses: "docker/setup-buildx-action@v3" }, login, { name: "Join the per-arch images", run: "${{ matrix.command }}" }],
  };
  const doc = {
    name: "dalec-bake",
    on: { push: { branches: ["main"] }, pull_request: {}, workflow_dispatch: {} },
    permissions: { contents: "read", packages: "write" },
    jobs,
  };
  return `# ${STAMP}\n# Regenerate with: dalec-bake workflow ${w.args}\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
