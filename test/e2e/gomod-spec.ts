// A spec whose gomod generator fetches one private module: the e2e tests of gomod's auth kinds.

/**
 * `auth`: the gomod auth entry of the module's host (YAML, indented for its place); the build
 * checks that the module is in GOMODCACHE and holds `greeting`. The go.mod names this run, as a
 * secret is no part of a cache key: a run with a wrong secret must not reuse an earlier success.
 */
export function gomodSpec(name: string, modPath: string, auth: string, greeting: string): string {
  return `name: ${name}
version: 1.0
sources:
  src:
    inline:
      dir:
        files:
          go.mod:
            contents: |
              // run ${Date.now()}
              module example.invalid/app

              go 1.19

              require ${modPath} v1.0.0
    generate:
      - gomod:
          auth:
${auth}
build:
  steps:
    - command: |
        set -ex
        [ -f "$GOMODCACHE/cache/download/${modPath}/@v/v1.0.0.zip" ]
        grep -q "${greeting}" "$GOMODCACHE/${modPath}@v1.0.0/greet.go"
`;
}
