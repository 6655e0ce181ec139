// The pip generator and gomod's token auth for real. pip: a Python package index (PEP 503, with
// Debian's setuptools and wheel wheels and a package of our own as a source distribution) read
// from a file: URL inside the source, as the sources node lays it out (pip refuses plain HTTP
// from hosts other than localhost, and its truststore cannot check a certificate for an IP
// address; no name resolves to this machine inside a build). gomod: a private Git repository
// holding a Go module, served by this process over HTTPS (the dumb protocol, behind a token) with
// a certificate of a CA made here, which the sources node trusts through DALEC_BAKE_CA_CERTS, as
// a user behind a private host or a TLS-inspecting proxy gives theirs. Reached from the build at
// the Docker bridge's gateway, on port 443: a Go module path has no port.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { ENGINE, cleanEnv, describeEngine, requireEngine } from "./engine.js";
import { gomodSpec } from "./gomod-spec.js";

const TOKEN = "gomod-token-never-written";
const GREETING = "hello from a private index";
/** The package index's files: name -> path. */
const files = new Map<string, string>();

/** A CA and a certificate for `ip` signed by it: [ca.pem, key, cert]. */
function certificates(dir: string, ip: string): [string, string, string] {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=dalec-bake test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${ip}`);
  writeFileSync(join(dir, "server.ext"), `subjectAltName=IP:${ip}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n`);
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
  return [readFileSync(join(dir, "ca.pem"), "utf8"), readFileSync(join(dir, "server.key"), "utf8"), readFileSync(join(dir, "server.pem"), "utf8")];
}

/** Our package as a source distribution, built by an in-tree PEP 517 backend that needs nothing. */
function sdist(dir: string): string {
  const root = join(dir, "dalecpipdep-0.1.0");
  mkdirSync(join(root, "dalecpipdep"), { recursive: true });
  writeFileSync(join(root, "PKG-INFO"), "Metadata-Version: 2.1\nName: dalecpipdep\nVersion: 0.1.0\n");
  writeFileSync(join(root, "pyproject.toml"), '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n');
  writeFileSync(join(root, "dalecpipdep", "__init__.py"), `def greeting():\n    return "${GREETING}"\n`);
  writeFileSync(
    join(root, "backend.py"),
    `import base64, hashlib, os, zipfile

NAME, VERSION = "dalecpipdep", "0.1.0"
DIST = NAME + "-" + VERSION + ".dist-info"


def _line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with open(os.path.join(NAME, "__init__.py"), "rb") as f:
        files = {NAME + "/__init__.py": f.read()}
    files[DIST + "/METADATA"] = ("Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (NAME, VERSION)).encode()
    files[DIST + "/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    record = "".join(_line(n, d) + "\\n" for n, d in files.items()) + DIST + "/RECORD,,\\n"
    wheel = NAME + "-" + VERSION + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w") as z:
        for n, d in files.items():
            z.writestr(n, d)
        z.writestr(DIST + "/RECORD", record)
    return wheel
`,
  );
  execFileSync("tar", ["-czf", "dalecpipdep-0.1.0.tar.gz", "dalecpipdep-0.1.0"], { cwd: dir });
  return join(dir, "dalecpipdep-0.1.0.tar.gz");
}

/** Debian's setuptools and wheel wheels (the archive's python3-*-whl packages). */
function debianWheels(dir: string): string[] {
  execFileSync("apt-get", ["download", "-qq", "python3-setuptools-whl", "python3-wheel-whl"], { cwd: dir, stdio: "pipe" });
  for (const deb of readdirSync(dir).filter((f) => f.endsWith(".deb"))) execFileSync("dpkg-deb", ["-x", deb, "x"], { cwd: dir });
  const wheels = join(dir, "x", "usr", "share", "python-wheels");
  return readdirSync(wheels).map((f) => join(wheels, f));
}

/** The index page of `project`: its files, with their digests. */
function indexPage(project: string): string {
  const links = [...files.keys()].filter((f) => f.toLowerCase().replace(/_/g, "-").startsWith(`${project}-`));
  const sha = (f: string) => createHash("sha256").update(readFileSync(files.get(f)!)).digest("hex");
  return `<!DOCTYPE html><html><body>\n${links.map((f) => `<a href="../../files/${f}#sha256=${sha(f)}">${f}</a><br/>`).join("\n")}\n</body></html>\n`;
}

describeEngine("generators against private servers: pip from a package index, gomod with token auth over HTTPS", () => {
  /** What the server answered: "<status> <path>". */
  const seen: string[] = [];
  const repos = tempDir("dalec-bake-httpsgit-");
  let gateway = "";
  let caBundle = "";
  let server: ReturnType<typeof createServer> | undefined;

  beforeAll(async () => {
    if (!ENGINE) return;
    const work = tempDir("dalec-bake-https-");
    gateway = execFileSync("docker", ["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"], { encoding: "utf8" }).trim();
    const [ca, key, cert] = certificates(work, gateway);
    // The machine's own bundle too: the sources node reaches Debian's archive through it.
    caBundle = join(work, "bundle.pem");
    writeFileSync(caBundle, `${readFileSync(process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt", "utf8")}\n${ca}`);
    for (const f of [sdist(work), ...debianWheels(work)]) files.set(f.split("/").pop()!, f);

    // The Go module, in a bare repository served by the dumb protocol.
    const mod = join(work, "mod");
    mkdirSync(mod);
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd, encoding: "utf8" }).trim();
    git(mod, "init", "-q", "-b", "main");
    writeFileSync(join(mod, "go.mod"), `module ${gateway}/git/mod.git\n\ngo 1.19\n`);
    writeFileSync(join(mod, "greet.go"), `package greet\n\nconst Hello = "${GREETING}"\n`);
    git(mod, "add", "-A");
    git(mod, "commit", "-qm", "one");
    git(mod, "tag", "v1.0.0");
    git(repos, "clone", "-q", "--bare", mod, join(repos, "mod.git"));
    git(join(repos, "mod.git"), "update-server-info");

    /** What the server answers for `url`: a body, or a status with no body. */
    const answer = (url: string, authorization: string | undefined): Buffer | string | number => {
      if (url.startsWith("/git/")) {
        if (authorization !== `basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`) return 401;
        // Go asks for the repository without .git (`ls-remote https://host/git/mod`), as Git hosts answer.
        const file = join(repos, url.slice(5).replace(/^mod\//, "mod.git/"));
        if (file.startsWith(repos) && existsSync(file) && statSync(file).isFile()) return readFileSync(file);
      }
      return 404;
    };
    server = createServer({ key, cert }, (req, res) => {
      const url = decodeURIComponent((req.url ?? "/").split("?")[0]!);
      const a = answer(url, req.headers.authorization);
      seen.push(`${typeof a === "number" ? a : 200} ${url}`);
      if (typeof a !== "number") res.end(a);
      else res.writeHead(a, a === 401 ? { "WWW-Authenticate": 'Basic realm="git"' } : {}).end();
    });
  }, 300_000);
  afterAll(() => server?.close());

  it("downloads a requirement and setuptools/wheel once in the sources node; the build installs them offline", { timeout: 1_200_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-pip-");
    mkdirSync(join(dir, "app", "pypi", "files"), { recursive: true });
    writeFileSync(join(dir, "app", "requirements.txt"), "dalecpipdep==0.1.0\n");
    for (const [name, path] of files) writeFileSync(join(dir, "app", "pypi", "files", name), readFileSync(path));
    for (const project of ["setuptools", "wheel", "dalecpipdep"]) {
      mkdirSync(join(dir, "app", "pypi", "simple", project), { recursive: true });
      writeFileSync(join(dir, "app", "pypi", "simple", project, "index.html"), indexPage(project));
    }
    writeFileSync(
      join(dir, "spec.yml"),
      `name: pip-demo
version: 1.0
sources:
  app:
    context: {}
    path: app
    generate:
      - pip:
          # where the sources node lays out the source "app"
          index_url: file:///dalec/src/app/pypi/simple/
dependencies:
  build:
    python3:
    python3-pip:
build:
  steps:
    - command: |
        set -ex
        ls "$PIP_CACHE_DIR"/setuptools-*.whl "$PIP_CACHE_DIR"/wheel-*.whl "$PIP_CACHE_DIR"/dalecpipdep-0.1.0.tar.gz
        python3 -c 'import dalecpipdep; print(dalecpipdep.greeting())' > greeting.txt
        grep -qx "${GREETING}" greeting.txt
`,
    );
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    // The machine's CA bundle: the sources node reaches Debian's archive (pip itself) through it.
    const r = await execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ DALEC_BAKE_CA_CERTS: caBundle }), extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-5000)).toBe(0);
  });

  it("fetches a Go module from a private host with gomod.auth's token; without the token it fails", { timeout: 1_200_000 }, async () => {
    requireEngine();
    const dir = tempDir("dalec-bake-gomodtoken-");
    const modPath = `${gateway}/git/mod.git`;
    writeFileSync(join(dir, "spec.yml"), gomodSpec("gomod-token", modPath, `            "${gateway}":\n              token: DALEC_TEST_GOMOD_TOKEN`, GREETING));
    const g = await runCli(["gen", "spec.yml", "--out", "out"], dir);
    expect(g.code, g.stderr).toBe(0);
    // Listening here, not for the whole file: the pip test needs no server.
    await new Promise<void>((ok, fail) => server!.once("error", fail).listen(443, "0.0.0.0", ok));
    const bake = (env: Record<string, string>) =>
      execa(join(dir, "out", "bake.sh"), ["packages", "--progress=plain"], { env: cleanEnv({ DALEC_BAKE_CA_CERTS: caBundle, ...env }), extendEnv: false, reject: false, all: true });
    const denied = await bake({ DALEC_TEST_GOMOD_TOKEN: "not-the-token" });
    expect(denied.exitCode).not.toBe(0);
    expect(denied.all).toContain("go mod download failed");
    // refused for its token: git reached the server, which answered 401 and nothing else
    expect(seen.filter((s) => s.includes(" /git/")).length, seen.join(" ")).toBeGreaterThan(0);
    expect(seen.filter((s) => s.includes(" /git/") && !s.startsWith("401 ")), seen.join(" ")).toEqual([]);
    seen.length = 0;
    const r = await bake({ DALEC_TEST_GOMOD_TOKEN: TOKEN });
    expect(r.exitCode, `${r.all?.slice(-3000)}\nserver saw: ${seen.join(" ")}`).toBe(0);
    expect(seen).toContain("200 /git/mod/info/refs");
  });
});
