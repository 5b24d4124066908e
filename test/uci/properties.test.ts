import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDeltas } from "../../src/uci/delta.ts";
import { UciParseError } from "../../src/uci/errors.ts";
import { anonymousName, isSafeType } from "../../src/uci/names.ts";
import { parseUci, parseUciLenient } from "../../src/uci/parse.ts";
import { serializeUci } from "../../src/uci/serialize.ts";
import type { UciPackage, UciSection, UciValue } from "../../src/uci/types.ts";

const RUNS = 10_000;

/** Characters with a meaning somewhere in uci syntax, plus any Unicode. */
const special = fc.constantFrom("'", '"', "\\", "\n", "\r", "\t", "#", ";", " ", "$", "é", "✓", "日本", "😀", "\\\n", "'\\''");
const anyChar = fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => !c.includes("\0"));
const text = fc.array(fc.oneof(special, anyChar), { maxLength: 12 }).map((parts) => parts.join(""));
const name = fc.stringMatching(/^[A-Za-z0-9_]{1,10}$/);
const type = fc.stringMatching(/^[A-Za-z0-9_.:@$%+-]{1,10}$/);
const value: fc.Arbitrary<UciValue> = fc.oneof(
  text.filter((v) => v !== ""),
  fc.array(text, { minLength: 1, maxLength: 4 }),
);

const pkg: fc.Arbitrary<UciPackage> = fc
  .array(
    fc.record({
      type,
      name,
      anonymous: fc.boolean(),
      options: fc.uniqueArray(fc.tuple(name, value), { maxLength: 6, selector: ([k]) => k }),
    }),
    { maxLength: 6 },
  )
  .map((raw) => {
    const sections: UciSection[] = raw.map((s, i) => ({
      type: s.type,
      // libuci names an anonymous section when it is created: index in the file + hash of its type.
      name: s.anonymous ? anonymousName(i + 1, s.type) : s.name,
      anonymous: s.anonymous,
      options: new Map(s.options),
    }));
    return { name: "pkg", sections };
  })
  .filter((p) => new Set(p.sections.map((s) => s.name)).size === p.sections.length);

const plain = (p: UciPackage) => p.sections.map((s) => ({ ...s, options: [...s.options] }));

describe("properties", () => {
  it("parse(serialize(x)) equals x", () => {
    fc.assert(
      fc.property(pkg, (x) => {
        const text = serializeUci(x);
        expect(plain(parseUci(text, "pkg"))).toEqual(plain(x));
      }),
      { numRuns: RUNS },
    );
  });

  const junk = fc
    .array(fc.oneof(fc.constantFrom("config ", "option ", "list ", "package ", "c ", "o ", "l ", "p ", "x", "a-b", "a.b", "'", '"', "\\", "\n", "\t", "#", ";", "\r", "\0", "é"), anyChar), {
      maxLength: 40,
    })
    .map((parts) => parts.join(""));

  it("never crashes on any input: it parses or throws UciParseError", () => {
    fc.assert(
      fc.property(fc.oneof(junk, fc.string({ unit: "binary" })), (input) => {
        try {
          const out = parseUci(input, "pkg");
          // Like libuci, a type such as a"b is accepted but does not survive a commit.
          if (out.sections.every((s) => isSafeType(s.type))) expect(plain(parseUci(serializeUci(out), "pkg"))).toEqual(plain(out));
        } catch (e) {
          expect(e).toBeInstanceOf(UciParseError);
          expect((e as UciParseError).line).toBeGreaterThanOrEqual(0);
        }
        parseUciLenient(input, "pkg");
        parseDeltas(input, "pkg");
      }),
      { numRuns: RUNS },
    );
  });
});
