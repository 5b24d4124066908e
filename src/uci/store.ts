// A UCI store over a config dir and a save (delta) dir, with the semantics of the `uci` CLI:
// a change is appended to <saveDir>/<pkg> and shows in `changes`; `commit` replays the deltas
// onto the file under a lock and writes it atomically; `revert` drops deltas. Every call
// re-reads the files, so changes made meanwhile by `uci` or LuCI are seen, not clobbered.
//
// Inputs are checked more strictly than libuci does: names must be plain names, values may
// not hold control characters other than tab/CR/LF, and types may not hold characters that
// `uci commit` would write in a way that reads back differently.
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatDelta, parseDeltas, type UciDelta } from "./delta.ts";
import type { UciDraft } from "./draft.ts";
import { UciError, quoteValue } from "./errors.ts";
import { withLock, writeFileAtomic } from "./files.ts";
import { isSafeType, isValidName, isValidPackageStatement, isValidText } from "./names.ts";
import { parseUciDraft } from "./parse.ts";
import { serializeUci } from "./serialize.ts";
import type { UciPackage, UciValue } from "./types.ts";

export interface UciStoreOptions {
  configDir: string;
  saveDir: string;
  /** How long to wait for another writer's lock (default 5 s). */
  lockTimeoutMs?: number;
}

function checkPackage(name: string): void {
  if (!isValidPackageStatement(name)) throw new UciError("invalid", `invalid config name ${quoteValue(name)}`, "package");
}

function checkName(field: string, name: string): void {
  if (!isValidName(name)) throw new UciError("invalid", `invalid ${field} name ${quoteValue(name)}: use letters, digits and _`, field);
}

function checkValue(value: string): void {
  if (!isValidText(value)) throw new UciError("invalid", `value ${quoteValue(value)} holds a control character`, "value");
}

function checkType(type: string): void {
  if (!isSafeType(type)) throw new UciError("invalid", `invalid section type ${quoteValue(type)}`, "type");
}

export class UciStore {
  readonly configDir: string;
  readonly saveDir: string;
  private readonly lockTimeoutMs: number;

  constructor(opts: UciStoreOptions) {
    this.configDir = opts.configDir;
    this.saveDir = opts.saveDir;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 5000;
  }

  private configPath(pkg: string): string {
    return join(this.configDir, pkg);
  }

  private savePath(pkg: string): string {
    return join(this.saveDir, pkg);
  }

  private async readSaved(pkg: string): Promise<string> {
    return readFile(this.savePath(pkg), "utf8").catch(() => "");
  }

  private async readConfig(pkg: string): Promise<Buffer> {
    checkPackage(pkg);
    try {
      return await readFile(this.configPath(pkg));
    } catch {
      throw new UciError("not_found", `config ${quoteValue(pkg)} not found`, "package");
    }
  }

  /** The file plus its pending changes; `replayed` counts the deltas that applied. */
  private async loadDraft(pkg: string): Promise<{ draft: UciDraft; replayed: number }> {
    const draft = parseUciDraft(await this.readConfig(pkg), pkg);
    let replayed = 0;
    for (const d of parseDeltas(await this.readSaved(pkg), pkg)) {
      try {
        draft.replay(d);
        replayed++;
      } catch (e) {
        if (!(e instanceof UciError)) throw e;
      }
    }
    return { draft, replayed };
  }

  private lock<T>(pkg: string, fn: () => Promise<T>): Promise<T> {
    checkPackage(pkg);
    return withLock(join(this.configDir, `.${pkg}.lock`), this.lockTimeoutMs, fn);
  }

  /** Load, change, append what changed to the delta file (under the package's lock). */
  private edit<T>(pkg: string, change: (draft: UciDraft) => T): Promise<T> {
    return this.lock(pkg, async () => {
      const { draft } = await this.loadDraft(pkg);
      const result = change(draft);
      if (draft.deltas.length > 0) {
        await mkdir(this.saveDir, { recursive: true, mode: 0o700 });
        await appendFile(this.savePath(pkg), draft.deltas.map((d) => formatDelta(pkg, d)).join(""), { mode: 0o600 });
      }
      return result;
    });
  }

  /** Config names in the config dir (as `uci show` lists them). */
  async configs(): Promise<string[]> {
    const names = await readdir(this.configDir, { withFileTypes: true });
    return names
      .filter((d) => d.isFile() && !d.name.includes(".") && isValidPackageStatement(d.name))
      .map((d) => d.name)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** The package as `uci show` sees it: the committed file with pending changes applied. */
  async load(pkg: string): Promise<UciPackage> {
    return (await this.loadDraft(pkg)).draft.pkg;
  }

  /** An option's value, or a section's type when `option` is omitted; undefined if absent. */
  async get(pkg: string, section: string, option?: string): Promise<UciValue | undefined> {
    const s = (await this.loadDraft(pkg)).draft.resolve(section);
    if (!s) return undefined;
    return option === undefined ? s.type : s.options.get(option);
  }

  /** Set an option (or, without `option`, create a named section / change its type); '' deletes. */
  async set(pkg: string, section: string, option: string | undefined, value: string): Promise<void> {
    checkValue(value);
    if (option === undefined) {
      if (value !== "") checkType(value);
    } else checkName("option", option);
    return this.edit(pkg, (d) => {
      if (option === undefined) d.setSection(section, value);
      else d.setOption(section, option, value);
    });
  }

  /** Add an anonymous section; returns its `cfgXXXXXX` name. */
  async add(pkg: string, type: string): Promise<string> {
    checkType(type);
    return this.edit(pkg, (d) => d.add(type).name);
  }

  async addList(pkg: string, section: string, option: string, value: string): Promise<void> {
    checkName("option", option);
    checkValue(value);
    return this.edit(pkg, (d) => d.addList(section, option, value));
  }

  async delList(pkg: string, section: string, option: string, value: string): Promise<void> {
    checkName("option", option);
    checkValue(value);
    return this.edit(pkg, (d) => d.delList(section, option, value));
  }

  async delete(pkg: string, section: string, option?: string): Promise<void> {
    if (option !== undefined) checkName("option", option);
    return this.edit(pkg, (d) => d.delete(section, option));
  }

  /** Rename a section (or one of its options); the new name must be free. */
  async rename(pkg: string, section: string, option: string | undefined, name: string): Promise<void> {
    checkName(option === undefined ? "section" : "option", name);
    return this.edit(pkg, (d) => {
      const s = d.resolve(section);
      const taken = option === undefined ? d.section(name) !== undefined && d.section(name) !== s : s?.options.has(name) && name !== option;
      if (taken) throw new UciError("duplicate", `${quoteValue(name)} already exists`, option === undefined ? "section" : "option");
      d.rename(section, option, name);
    });
  }

  async reorder(pkg: string, section: string, position: number): Promise<void> {
    if (!Number.isInteger(position) || position < 0) throw new UciError("invalid", `invalid position ${quoteValue(String(position))}`, "position");
    return this.edit(pkg, (d) => d.reorder(section, position));
  }

  /**
   * Rewrite the committed file as `transform(committed)` (atomically, under the lock), leaving
   * pending changes pending: how the service changes its own sections without committing
   * someone's half-done LuCI edits. Returns false, touching nothing, if the result is the
   * file's current bytes.
   */
  async update(pkg: string, transform: (committed: UciPackage) => UciPackage): Promise<boolean> {
    return this.lock(pkg, async () => {
      const bytes = await this.readConfig(pkg);
      const next = serializeUci(transform(parseUciDraft(bytes, pkg).pkg));
      if (Buffer.from(next).equals(bytes)) return false;
      await writeFileAtomic(this.configPath(pkg), next);
      return true;
    });
  }

  /** Pending changes of a package, as `uci changes` lists them. */
  async changes(pkg: string): Promise<UciDelta[]> {
    checkPackage(pkg);
    return parseDeltas(await this.readSaved(pkg), pkg);
  }

  /**
   * Apply the pending changes to the file (atomically, mode kept) and clear them. Returns
   * false, leaving the file untouched, when there was nothing to apply.
   */
  async commit(pkg: string): Promise<boolean> {
    return this.lock(pkg, async () => {
      const { draft, replayed } = await this.loadDraft(pkg);
      if (replayed === 0) return false;
      await writeFileAtomic(this.configPath(pkg), serializeUci(draft.pkg));
      await writeFile(this.savePath(pkg), "");
      return true;
    });
  }

  /** Drop pending changes of a package, or only those of one section or option. */
  async revert(pkg: string, section?: string, option?: string): Promise<void> {
    return this.lock(pkg, async () => {
      const saved = await this.readSaved(pkg);
      if (saved === "") return;
      const name = section === undefined ? undefined : ((await this.loadDraft(pkg)).draft.resolve(section)?.name ?? section);
      const keep = parseDeltas(saved, pkg).filter((d) => (name !== undefined && d.section !== name) || (option !== undefined && d.option !== option));
      await writeFile(this.savePath(pkg), keep.map((d) => formatDelta(pkg, d)).join(""));
    });
  }

  /** Write a whole package now, as `uci import` does (pending changes stay pending). */
  async write(pkg: UciPackage): Promise<void> {
    return this.lock(pkg.name, () => writeFileAtomic(this.configPath(pkg.name), serializeUci(pkg)));
  }
}
