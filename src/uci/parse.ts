// Config file parser (libuci's uci_import for one named package): `package`, `config`,
// `option`, `list` (and their one-letter forms), `;`-separated commands, comments, quoting.
import { UciDraft } from "./draft.ts";
import { UciError, UciParseError } from "./errors.ts";
import { Lexer } from "./lexer.ts";
import { isValidType } from "./names.ts";
import type { UciPackage, UciSection } from "./types.ts";

export { UciParseError } from "./errors.ts";

interface ParseState {
  lexer: Lexer;
  draft: UciDraft;
  section: UciSection | undefined;
  strict: boolean;
}

const enc = new TextEncoder();

function isCommand(lexer: Lexer, start: number, end: number, rest: string): boolean {
  if (end - start === 1) return true;
  if (end - start !== rest.length + 1) return false;
  for (let i = 0; i < rest.length; i++) if (lexer.buf[start + 1 + i] !== rest.charCodeAt(i)) return false;
  return true;
}

function parseConfig(st: ParseState): void {
  const { lexer } = st;
  lexer.skipWord("config without name");
  const typeAt = lexer.nextArg(true);
  const type = lexer.str(typeAt);
  if (!isValidType(type)) lexer.fail("invalid character in type field");
  const name = lexer.str(lexer.nextArg(false, "name"));
  lexer.endOfCommand(st.strict);
  if (name === "") {
    st.section = st.draft.add(type);
    return;
  }
  const prior = st.draft.section(name);
  if (prior && st.strict && prior.type !== type) lexer.fail("section of different type overwrites prior section with same name");
  st.section = st.draft.setSection(name, type);
}

function parseOption(st: ParseState, list: boolean): void {
  const lexer: Lexer = st.lexer;
  const section = st.section;
  if (!section) lexer.fail("option/list command found before the first section");
  lexer.skipWord("option without name");
  const name = lexer.str(lexer.nextArg(true, "name"));
  const value = lexer.str(lexer.nextArg(false));
  lexer.endOfCommand(st.strict);
  if (list) st.draft.addList(section, name, value);
  // The parser's uci_set never deletes: `option x ''` leaves x as it was.
  else if (value !== "") st.draft.setOption(section, name, value);
}

function parseLine(st: ParseState): void {
  const { lexer } = st;
  lexer.skipWhitespace();
  for (;;) {
    const word = lexer.word();
    if (!word) return;
    const first = lexer.buf[word.start];
    if (first === 35) return; // '#'
    if (first === 112 && isCommand(lexer, word.start, word.end, "ackage")) {
      lexer.skipWord("package without name");
      lexer.nextArg(true, "package");
      lexer.endOfCommand(st.strict);
    } else if (first === 99 && isCommand(lexer, word.start, word.end, "onfig")) parseConfig(st);
    else if (first === 111 && isCommand(lexer, word.start, word.end, "ption")) parseOption(st, false);
    else if (first === 108 && isCommand(lexer, word.start, word.end, "ist")) parseOption(st, true);
    else lexer.fail("invalid command");
  }
}

function run(text: string | Uint8Array, packageName: string, strict: boolean, onError: (e: UciParseError) => void): UciDraft {
  const draft = new UciDraft({ name: packageName, sections: [] });
  draft.track = false;
  const st: ParseState = { lexer: new Lexer(typeof text === "string" ? enc.encode(text) : text), draft, section: undefined, strict };
  const { lexer } = st;
  while (!lexer.eof) {
    lexer.pos = 0;
    lexer.readLine(0);
    if (!lexer.buf[0]) continue;
    try {
      parseLine(st);
    } catch (e) {
      if (e instanceof UciParseError) onError(e);
      else if (e instanceof UciError) onError(new UciParseError(e.message, lexer.line, lexer.pos));
      else throw e;
    }
  }
  draft.track = true;
  return draft;
}

/** Parse a config file as `uci` loads /etc/config/<packageName>; throws UciParseError. */
export function parseUci(text: string | Uint8Array, packageName: string): UciPackage {
  return parseUciDraft(text, packageName).pkg;
}

/** Like parseUci, but ready for edits that number new anonymous sections as libuci would. */
export function parseUciDraft(text: string | Uint8Array, packageName: string): UciDraft {
  return run(text, packageName, true, (e) => {
    throw e;
  });
}

/**
 * `uci -S` (non-strict) loading: a line with an error is reported and skipped, extra
 * arguments and type clashes of duplicate sections are tolerated.
 */
export function parseUciLenient(text: string | Uint8Array, packageName: string): { pkg: UciPackage; errors: UciParseError[] } {
  const errors: UciParseError[] = [];
  const draft = run(text, packageName, false, (e) => errors.push(e));
  return { pkg: draft.pkg, errors };
}
