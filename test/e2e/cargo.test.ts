// A cargohome generator for real: the crate's dependencies come from a Cargo registry (the sparse
// protocol, served by this process at the Docker bridge's gateway, as crates.io serves it),
// fetched once by the sources node into __cargohome; the build, which has no network, builds
// offline with CARGO_HOME pointing there, and the program's test passes in the image. trixie:
// bookworm's cargo predates the sparse protocol.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { cleanEnv, describeEngine, requireEngine } from "./engine.js";

const GREETING = "hello from a local registry";

/** The registry's one crate, dalecdep 0.1.0, as `cargo package` lays a .crate out. */
function makeCrate(): Buffer {
  const work = tempDir("dalec-bake-crate-");
  const root = join(work, "dalecdep-0.1.0");
  mkdirSync(join(root, "src"), { recursive: true });
  writeFileSync(join(root, "Cargo.toml"), '[package]\nname = "dalecdep"\nversion = "0.1.0"\nedition = "2021"\n');
  writeFileSync(join(root, "src", "lib.rs"), `pub fn greeting() -> &'static str {\n    "${GREETING}"\n}\n`);
  execFileSync("tar", ["-czf", join(work, "dalecdep-0.1.0.crate"), "-C", work, "dalecdep-0.1.0"]);
  return readFileSync(join(work, "dalecdep-0.1.0.crate"));
}

describeEngine("the cargohome generator", () => {
  const seen: string[] = [];
  const server = createServer();
  afterAll(() => server.close());

  it("fetches a crate's dependencies once in the sources node; the build uses them offline", { timeout: 1_200_000 }, async () => {
    requireEngine();
    const crate = makeCrate();
    await new Promise<void>((ok) => server.listen(0, "0.0.0.0", ok));
    const gateway = execFileSync("docker", ["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"], { encoding: "utf8" }).trim();
    const base = `http://${gateway}:${(server.address() as AddressInfo).port}`;
    const entry = { name: "dalecdep", vers: "0.1.0", deps: [], cksum: createHash("sha256").update(crate).digest("hex"), features: {}, yanked: false };
    server.on("request", (req, res) => {
      seen.push(req.url ?? "");
      if (req.url === "/index/config.json") res.end(JSON.stringify({ dl: `${base}/dl/{crate}/{version}` }));
      else if (req.url === "/index/da/le/dalecdep") res.end(`${JSON.stringify(entry)}\n`);
      else if (req.url === "/dl/dalecdep/0.1.0") res.end(crate);
      else res.writeHead(404).end();
    });

    const dir = tempDir("dalec-bake-cargo-");
    mkdirSync(join(dir, "app", "src"), { recursive: true });
    mkdirSync(join(dir, "app", ".cargo"));
    writeFileSync(join(dir, "app", "Cargo.toml"), '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ndalecdep = "0.1"\n');
    writeFileSync(join(dir, "app", "src", "main.rs"), 'fn main() {\n    println!("{}", dalecdep::greeting());\n}\n');
    // The project's own registry configuration, as a user behind a private registry has it.
    writeFileSync(join(dir, "app", ".cargo", "config.toml"), `[source.crates-io]\nreplace-with = "local"\n\n[source.local]\nregistry = "sparse+${base}/index/"\n`);
    writeFileSync(
      join(dir, "cargo.yml"),
      `name: cargo-demo
version: 1.0
sources:
  app:
    context: {}
    path: app
    generate:
      - cargohome: {}
dependencies:
  build:
    cargo:
build:
  steps:
    - command: |
        set -e
        cd app
        # cargo fetch wrote a Cargo.lock in its copy of the source, which Dalec does not keep
        [ ! -e Cargo.lock ]
        cargo build --offline --release
        mkdir -p ../out && cp target/release/app ../out/
artifacts:
  binaries:
    out/app:
tests:
  - name: built against the registry's crate
    steps:
      - command: app
        stdout: { equals: "${GREETING}\\n" }
`,
    );
    writeFileSync(join(dir, "dalec-bake.yaml"), "specs: [cargo.yml]\ndistros: [trixie]\n");
    const g = await runCli(["gen", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "tests", "--progress=plain"], { env: cleanEnv(), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
    // cargo read the index and downloaded the crate from the registry, in the sources node.
    expect(seen).toContain("/index/da/le/dalecdep");
    expect(seen).toContain("/dl/dalecdep/0.1.0");
  });
});
