// Parser behaviour read off libuci's file.c, beyond what the recorded transcripts cover.
import { describe, expect, it } from "vitest";
import { UciParseError } from "../../src/uci/errors.ts";
import { anonymousName } from "../../src/uci/names.ts";
import { parseUci, parseUciLenient } from "../../src/uci/parse.ts";
import { exportUci, getText, serializeUci, showUci } from "../../src/uci/serialize.ts";

const opts = (text: string) => Object.fromEntries(parseUci(text, "p").sections[0]?.options ?? []);

describe("parseUci", () => {
  it.each([
    ["unquoted word", "option a b", "b"],
    ["trailing comment", "option a b # c", "b"],
    ["# inside a word ends it", "option a b#c", "b"],
    ["quoted parts concatenate", `option a 'x'"y"z`, "xyz"],
    ["backslash keeps the next character in double quotes", `option a "t\\tx\\\\"`, "ttx\\"],
    ["backslash is literal in single quotes", "option a 'c:\\x'", "c:\\x"],
    ["backslash-newline joins lines", "option a b\\\nc", "bc"],
    ["newline inside quotes is kept", "option a 'x\ny'", "x\ny"],
    ["';' after a quote starts the next command", "option a 'b';option c d", "b"],
  ])("%s", (_, line, value) => {
    expect(opts(`config t 'x'\n\t${line}\n`).a).toBe(value);
  });

  it("takes the command after ';' only when the ';' survives the argument's terminator", () => {
    expect(opts("config t x\n\toption a 'b';option c d\n")).toEqual({ a: "b", c: "d" });
    // libuci writes the terminator of `b` over the `;`, so `option c d` is never seen.
    expect(opts("config t x\n\toption a b;option c d\n")).toEqual({ a: "b" });
  });

  it("accepts one-letter commands", () => {
    const p = parseUci("c t x\no a 1\nl b 2\np ignored\n", "p");
    expect(p.sections[0]?.options).toEqual(
      new Map<string, string | string[]>([
        ["a", "1"],
        ["b", ["2"]],
      ]),
    );
  });

  it("ignores an empty option value but keeps an empty list item", () => {
    expect(opts("config t x\n\toption a '1'\n\toption a ''\n\tlist b ''\n")).toEqual({ a: "1", b: [""] });
  });

  it("merges a duplicate named section into the first and turns option+list into a list", () => {
    const p = parseUci("config t x\n\toption a 1\nconfig t y\nconfig t x\n\tlist a 2\n", "p");
    expect(p.sections.map((s) => s.name)).toEqual(["x", "y"]);
    expect(p.sections[0]?.options.get("a")).toEqual(["1", "2"]);
  });

  it("names anonymous sections cfg + running index + type hash", () => {
    expect(anonymousName(1, "rule")).toBe("cfg0192bd");
    expect(anonymousName(3, "device")).toBe("cfg030f15");
    expect(anonymousName(3, "anon")).toBe("cfg0322f1");
    expect(anonymousName(256, "rule")).toBe("cfg10092bd");
    const p = parseUci("config rule\nconfig zone 'lan'\nconfig rule\n", "p");
    expect(p.sections.map((s) => s.name)).toEqual(["cfg0192bd", "lan", "cfg0392bd"]);
  });

  it.each([
    ["config test t\n\toption a \"unterminated\n", "EOF with unterminated \"", 2, 24],
    ["config test t\n\toption a 'x\n", "EOF with unterminated '", 2, 13],
    ["config test t\n\tbogus keyword\n", "invalid command", 2, 1],
    ["option orphan 'x'\n", "option/list command found before the first section", 1, 0],
    ["config test 'bad-name'\n", "invalid character in name field", 1, 23],
    ["config test ok\n\toption 'bad.name' '1'\n", "invalid character in name field", 2, 19],
    ["config 'a b'\n", "invalid character in type field", 1, 13],
    ["config\n", "invalid command", 1, 0],
    ["config", "config without name", 0, 0],
    ["config t x\n\toption \n", "insufficient arguments", 2, 9],
    // strtok splits on space and tab only, so the newline is part of the word.
    ["config t x\n\toption\n", "invalid command", 2, 1],
    ["config t x\n\toption a 1 2\n", "too many arguments", 2, 14],
    ["config a x\nconfig b x\n", "section of different type overwrites prior section with same name", 2, 11],
  ])("reports %j like libuci", (text, reason, line, byte) => {
    let err: unknown;
    try {
      parseUci(text, "p");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UciParseError);
    expect(err).toMatchObject({ reason, line, byte, message: `Parse error (${reason}) at line ${line}, byte ${byte}` });
  });

  it("in lenient mode skips bad lines and tolerates extra arguments", () => {
    const { pkg, errors } = parseUciLenient("config t x\n\tbogus\n\toption a 1 2\nconfig u x\n", "p");
    expect(errors.map((e) => e.message)).toEqual(["Parse error (invalid command) at line 2, byte 1"]);
    expect(pkg.sections).toEqual([{ type: "u", name: "x", anonymous: false, options: new Map([["a", "1"]]) }]);
  });
});

describe("serialize", () => {
  const p = parseUci("config rule\n\toption name 'it''s'\nconfig zone 'lan'\n\tlist net 'a b'\n\tlist net c\n", "fw");

  it("writes commit, export, show and get text", () => {
    expect(serializeUci(p)).toBe("\nconfig rule\n\toption name 'its'\n\nconfig zone 'lan'\n\tlist net 'a b'\n\tlist net 'c'\n\n");
    expect(exportUci(p, { names: true })).toBe("package fw\n\nconfig rule 'cfg0192bd'\n\toption name 'its'\n\nconfig zone 'lan'\n\tlist net 'a b'\n\tlist net 'c'\n\n");
    expect(showUci(p)).toBe("fw.@rule[0]=rule\nfw.@rule[0].name='its'\nfw.lan=zone\nfw.lan.net='a b' 'c'\n");
    expect(showUci(p, { extended: false, delimiter: "," })).toBe("fw.cfg0192bd=rule\nfw.cfg0192bd.name='its'\nfw.lan=zone\nfw.lan.net='a b','c'\n");
    expect(getText(["a b", "c"])).toBe("'a b' c\n");
  });

  it("writes an empty package as one newline", () => {
    expect(serializeUci({ name: "x", sections: [] })).toBe("\n");
  });
});
