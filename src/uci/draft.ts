// A package being edited the way libuci edits it (uci_set, uci_add_list, uci_del_list,
// uci_delete, uci_rename, uci_reorder_section, uci_add_section), recording each change as a
// delta. The parser, delta replay and the store all go through these, so positions, type
// changes, list conversions and `cfgXXXXXX` numbering agree with the C library.
import type { UciDelta } from "./delta.ts";
import { UciError, quoteValue } from "./errors.ts";
import { anonymousName, isValidName, isValidType } from "./names.ts";
import type { UciPackage, UciSection, UciValue } from "./types.ts";

const EXTENDED = /^@([^[\]]*)\[(-?\d+)\]$/;

function notFound(what: string): UciError {
  return new UciError("not_found", `${what} not found`);
}

export class UciDraft {
  /** Changes recorded since creation (only while `track` is true). */
  readonly deltas: UciDelta[] = [];
  track = true;
  private byName: Map<string, UciSection> | undefined;

  /**
   * @param allocated libuci's running section counter (n_section): sections ever created in
   *   this package since it was parsed, deleted ones included; it numbers anonymous sections.
   */
  constructor(
    readonly pkg: UciPackage,
    private allocated = pkg.sections.length,
  ) {}

  private record(d: UciDelta): void {
    if (this.track) this.deltas.push(d);
  }

  private index(): Map<string, UciSection> {
    if (!this.byName) {
      this.byName = new Map();
      for (const s of this.pkg.sections) if (!this.byName.has(s.name)) this.byName.set(s.name, s);
    }
    return this.byName;
  }

  private changedNames(): void {
    this.byName = undefined;
  }

  section(name: string): UciSection | undefined {
    return this.index().get(name);
  }

  /**
   * A section by name or by `@type[index]` / `@[index]` (negative counts from the end); a
   * section object passes through (the parser holds one, and names can collide).
   */
  resolve(ref: string | UciSection): UciSection | undefined {
    if (typeof ref !== "string") return ref;
    if (isValidName(ref)) return this.section(ref);
    const m = EXTENDED.exec(ref);
    const type = m?.[1];
    if (!m || type === undefined || (type !== "" && !isValidType(type))) {
      throw new UciError("invalid", `invalid section reference ${quoteValue(refName(ref))}`, "section");
    }
    const matching = type === "" ? this.pkg.sections : this.pkg.sections.filter((s) => s.type === type);
    let idx = Number(m[2]);
    if (idx < 0) idx += matching.length;
    return matching[idx];
  }

  private must(ref: string | UciSection): UciSection {
    const s = this.resolve(ref);
    if (!s) throw notFound(`section ${quoteValue(refName(ref))}`);
    return s;
  }

  private alloc(type: string, name: string | undefined): UciSection {
    this.allocated++;
    const s: UciSection = { type, name: name ?? anonymousName(this.allocated, type), anonymous: name === undefined, options: new Map() };
    this.pkg.sections.push(s);
    if (this.byName && !this.byName.has(s.name)) this.byName.set(s.name, s);
    return s;
  }

  /** uci_add_section: a new anonymous section, named `cfgXXXXXX`. */
  add(type: string): UciSection {
    const s = this.alloc(type, undefined);
    this.record({ cmd: "add", section: s.name, value: type });
    return s;
  }

  /** uci_set on a section: create it (named) or change its type; '' deletes it. */
  setSection(ref: string, type: string): UciSection | undefined {
    const existing = this.resolve(ref);
    if (type === "") {
      if (existing) this.delete(existing.name);
      return undefined;
    }
    if (!isValidType(type)) throw new UciError("invalid", `invalid section type ${quoteValue(type)}`, "type");
    if (existing) {
      if (existing.type === type) return existing;
      existing.type = type;
    } else {
      if (!isValidName(ref)) throw new UciError("invalid", `invalid section name ${quoteValue(refName(ref))}`, "section");
      this.alloc(type, ref);
    }
    const s = existing ?? (this.section(ref) as UciSection);
    this.record({ cmd: "change", section: s.name, value: type });
    return s;
  }

  /** uci_set on an option: replaces in place (a list becomes a string); '' deletes it. */
  setOption(ref: string | UciSection, option: string, value: string): void {
    const s = this.resolve(ref);
    if (!s) throw new UciError("invalid", `cannot set option ${quoteValue(option)}: section ${quoteValue(refName(ref))} does not exist`, "section");
    const old = s.options.get(option);
    if (value === "") {
      if (old !== undefined) this.delete(s.name, option);
      return;
    }
    if (old === value) return;
    s.options.set(option, value);
    this.record({ cmd: "change", section: s.name, option, value });
  }

  /** uci_add_list: appends an item; a string option becomes a list in place. */
  addList(ref: string | UciSection, option: string, value: string): void {
    const s = this.resolve(ref);
    if (!s) throw new UciError("invalid", `cannot add to list ${quoteValue(option)}: section ${quoteValue(refName(ref))} does not exist`, "section");
    const old = s.options.get(option);
    s.options.set(option, old === undefined ? [value] : typeof old === "string" ? [old, value] : [...old, value]);
    this.record({ cmd: "list_add", section: s.name, option, value });
  }

  /** uci_del_list: removes every equal item of a list; a no-op on strings and missing options. */
  delList(ref: string | UciSection, option: string, value: string): void {
    const s = this.resolve(ref);
    if (!s) throw new UciError("invalid", `cannot remove from list ${quoteValue(option)}: section ${quoteValue(refName(ref))} does not exist`, "section");
    const old = s.options.get(option);
    if (!Array.isArray(old)) return;
    this.record({ cmd: "list_del", section: s.name, option, value });
    s.options.set(
      option,
      old.filter((v) => v !== value),
    );
  }

  /**
   * uci_delete: a section, an option, or (with `index`, libuci's `option=N` form) the N-th
   * item of a list.
   */
  delete(ref: string | UciSection, option?: string, index?: string): void {
    const s = this.must(ref);
    if (option === undefined) {
      this.record({ cmd: "remove", section: s.name });
      this.pkg.sections.splice(this.pkg.sections.indexOf(s), 1);
      this.changedNames();
      return;
    }
    const old = s.options.get(option);
    if (old === undefined) throw notFound(`option ${quoteValue(option)}`);
    if (Array.isArray(old) && index) {
      const n = Number.parseInt(index.trimStart(), 10);
      if (Number.isNaN(n)) throw new UciError("invalid", `invalid list index ${quoteValue(index)}`, "index");
      if (n < 0 || n >= old.length) return;
      this.record({ cmd: "remove", section: s.name, option, value: index });
      s.options.set(
        option,
        old.filter((_, i) => i !== n),
      );
      return;
    }
    this.record({ cmd: "remove", section: s.name, option });
    s.options.delete(option);
  }

  /** uci_rename: a section (which then counts as named) or an option, keeping its position. */
  rename(ref: string | UciSection, option: string | undefined, name: string): void {
    const s = this.must(ref);
    if (option === undefined) {
      this.record({ cmd: "rename", section: s.name, value: name });
      s.name = name;
      s.anonymous = false;
      this.changedNames();
      return;
    }
    if (!s.options.has(option)) throw notFound(`option ${quoteValue(option)}`);
    this.record({ cmd: "rename", section: s.name, option, value: name });
    s.options = new Map([...s.options].map(([k, v]): [string, UciValue] => [k === option ? name : k, v]));
  }

  /** uci_reorder_section: move to position `pos` (0 = first); recorded only if it moved. */
  reorder(ref: string | UciSection, pos: number): void {
    const s = this.must(ref);
    const list = this.pkg.sections;
    const from = list.indexOf(s);
    list.splice(from, 1);
    const to = Math.min(Math.max(pos, 0), list.length);
    list.splice(to, 0, s);
    if (to !== from) this.record({ cmd: "reorder", section: s.name, value: String(pos) });
    this.changedNames();
  }

  /** Re-apply one entry of a delta file (uci_parse_delta_line), without recording it. */
  replay(d: UciDelta): void {
    const track = this.track;
    this.track = false;
    try {
      this.replayUntracked(d);
    } finally {
      this.track = track;
    }
  }

  private replayUntracked(d: UciDelta): void {
    const value = d.value ?? "";
    switch (d.cmd) {
      case "reorder":
        this.reorder(d.section, cParseInt(value));
        break;
      case "rename":
        this.rename(d.section, d.option, value);
        break;
      case "remove":
        this.delete(d.section, d.option, d.value);
        break;
      case "list_add":
        this.addList(d.section, d.option ?? "", value);
        break;
      case "list_del":
        this.delList(d.section, d.option ?? "", value);
        break;
      case "add":
      case "change":
        if (d.option !== undefined) this.setOption(d.section, d.option, value);
        else {
          const s = this.setSection(d.section, value);
          if (s && d.cmd === "add") s.anonymous = true;
        }
        break;
    }
  }
}

function refName(ref: string | UciSection): string {
  return typeof ref === "string" ? ref : ref.name;
}

/** strtoul(...) cast to int, as libuci reads a reorder position. */
function cParseInt(text: string): number {
  const m = /^\s*([+-]?)(\d*)/.exec(text);
  const n = Number(m?.[2] || "0");
  return m?.[1] === "-" ? -n : n;
}
