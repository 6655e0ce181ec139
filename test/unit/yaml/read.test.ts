import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { YamlNumber, readYaml } from "../../../src/yaml/read.js";

describe("readYaml", () => {
  it("reads YAML 1.2: off/yes/on stay strings, true/false are booleans", () => {
    const { value } = readYaml("a: off\nb: yes\nc: on\nd: true\n", "f.yml");
    expect(value).toEqual({ a: "off", b: "yes", c: "on", d: true });
    const n = readYaml("v: 1.0\n", "f.yml").value as { v: YamlNumber };
    expect(n.v.text).toBe("1.0");
  });

  it("keeps integers with a leading zero so modes can read them as octal", () => {
    const { value } = readYaml("a: 0755\nb: 0o755\nc: 755\n", "f.yml") as { value: Record<string, unknown> };
    expect(value.a).toBeInstanceOf(YamlNumber);
    expect((value.a as YamlNumber).mode).toBe(0o755);
    expect((value.a as YamlNumber).value).toBe(755);
    expect((value.b as YamlNumber).mode).toBe(0o755);
    expect((value.c as YamlNumber).mode).toBe(755);
  });

  it("resolves anchors, aliases and << merges with explicit keys winning", () => {
    const text = "x-base: &base\n  a: 1\n  b: 2\nthing:\n  <<: *base\n  b: 3\nother: *base\n";
    const { value } = readYaml(text, "f.yml");
    expect(JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof YamlNumber ? v.value : v)))).toEqual({
      "x-base": { a: 1, b: 2 },
      thing: { a: 1, b: 3 },
      other: { a: 1, b: 2 },
    });
  });

  it("locates values and keys by path", () => {
    const { map } = readYaml("top:\n  inner:\n    - first\n    - second\n", "f.yml");
    expect(map.locate(["top", "inner", 1])).toEqual({ file: "f.yml", line: 4, col: 7 });
    expect(map.locate(["top", "inner"], true)).toEqual({ file: "f.yml", line: 2, col: 3 });
    expect(map.locate(["top", "missing", "deeper"])).toEqual({ file: "f.yml", line: 2, col: 3 });
  });

  it("lists every field at its key (a list item at its value), keys without a value and merged keys included", () => {
    const { map } = readYaml("x-d: &d\n  gcc:\n  make: {}\ntop:\n  deps:\n    <<: *d\n  list:\n    - a\n", "f.yml");
    const at = Object.fromEntries(map.fields().map(([p, l]) => [JSON.stringify(p), `${l.line}:${l.col}`]));
    expect(at).toMatchObject({ '["top","deps","gcc"]': "2:3", '["top","deps","make"]': "3:3", '["top","list",0]': "8:7", '["top","deps"]': "5:3" });
  });

  it("rejects a syntax error with its location", () => {
    expect(() => readYaml("a: [1, 2\nb: 3\n", "bad.yml")).toThrow(UserError);
    try {
      readYaml("a: b: c\n", "bad.yml");
    } catch (e) {
      expect((e as UserError).render()).toMatch(/^bad\.yml:1:\d+: invalid YAML: /);
    }
  });

  it("rejects duplicate keys", () => {
    expect(() => readYaml("a: 1\na: 2\n", "dup.yml")).toThrow(/^invalid YAML: Map keys must be unique/);
  });
});
