// The `uci` command line, emulated over UciStore, to replay the recorded CLI transcripts.
// Output text, error texts and exit codes follow cli.c.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatChanges } from "../../src/uci/delta.ts";
import { UciDraft } from "../../src/uci/draft.ts";
import { UciError } from "../../src/uci/errors.ts";
import { Lexer } from "../../src/uci/lexer.ts";
import { parseUci, parseUciLenient } from "../../src/uci/parse.ts";
import { parseUciPtr } from "../../src/uci/ptr.ts";
import { exportUci, getText, type ShowOptions, showOption, showSection, showUci } from "../../src/uci/serialize.ts";
import { UciStore } from "../../src/uci/store.ts";
import type { UciPackage } from "../../src/uci/types.ts";

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

interface Flags {
  extended: boolean;
  exportNames: boolean;
  strict: boolean;
  delimiter: string;
}

class Cli {
  out = "";
  err = "";
  constructor(
    readonly store: UciStore,
    readonly flags: Flags,
  ) {}

  fail(e: unknown): number {
    if (!(e instanceof UciError)) throw e;
    this.err += `uci: ${e.uciText}\n`;
    return 1;
  }

  async load(pkg: string): Promise<UciPackage> {
    if (this.flags.strict) return this.store.load(pkg);
    const { pkg: loaded, errors } = parseUciLenient(await readFile(join(this.store.configDir, pkg)), pkg);
    for (const e of errors) this.err += `${e.message}\n`;
    return loaded;
  }

  async packageCmd(cmd: string, tuple: string): Promise<number> {
    try {
      const ptr = parseUciPtr(tuple);
      if (cmd === "changes") {
        this.out += formatChanges(ptr.package, await this.store.changes(ptr.package));
        return 0;
      }
      if (cmd === "commit") {
        await this.store.commit(ptr.package);
        return 0;
      }
      const pkg = await this.load(ptr.package);
      if (cmd === "export") {
        this.out += exportUci(pkg, { names: this.flags.exportNames });
        return 0;
      }
      const opts: ShowOptions = { extended: this.flags.extended, delimiter: this.flags.delimiter };
      if (ptr.section === undefined) {
        this.out += showUci(pkg, opts);
        return 0;
      }
      const s = new UciDraft(pkg).resolve(ptr.section);
      const value = ptr.option === undefined ? undefined : s?.options.get(ptr.option);
      if (!s || (ptr.option !== undefined && value === undefined)) throw new UciError("not_found", "not found");
      this.out += ptr.option === undefined || value === undefined ? showSection(pkg.name, s, opts) : showOption(pkg.name, s, ptr.option, value, opts);
      return 0;
    } catch (e) {
      return this.fail(e);
    }
  }

  async packageCmdAll(cmd: string, args: string[]): Promise<number> {
    if (args.length > 1) return 255;
    if (args[0] !== undefined) return this.packageCmd(cmd, args[0]);
    for (const name of await this.store.configs()) await this.packageCmd(cmd, name);
    return 0;
  }

  async sectionCmd(cmd: string, args: string[]): Promise<number> {
    if (args.length !== 1 || args[0] === undefined) return 255;
    try {
      const ptr = parseUciPtr(args[0]);
      const { package: pkg, section = "", option, value } = ptr;
      if (value !== undefined && (cmd === "get" || cmd === "revert")) return 1;
      switch (cmd) {
        case "get": {
          const s = new UciDraft(await this.load(pkg)).resolve(section);
          const v = option === undefined ? s?.type : s?.options.get(option);
          if (v === undefined) throw new UciError("not_found", "not found");
          this.out += option === undefined ? `${v}\n` : getText(v, this.flags.delimiter);
          return 0;
        }
        case "set":
          await this.store.set(pkg, section, option, value ?? "");
          return 0;
        case "add_list":
          await this.store.addList(pkg, section, option ?? "", value ?? "");
          return 0;
        case "del_list":
          await this.store.delList(pkg, section, option ?? "", value ?? "");
          return 0;
        case "delete":
          await this.store.delete(pkg, section, option);
          return 0;
        case "rename":
          await this.store.rename(pkg, section, option, value ?? "");
          return 0;
        case "reorder":
          await this.store.reorder(pkg, section, Number.parseInt(value ?? "", 10));
          return 0;
        default:
          await this.store.revert(pkg, ptr.section, option);
          return 0;
      }
    } catch (e) {
      return this.fail(e);
    }
  }

  async batch(stdin: string): Promise<number> {
    const lexer = new Lexer(new TextEncoder().encode(stdin));
    while (!lexer.eof) {
      const argv = [lexer.lineArgument().arg];
      if (argv[0] === "") continue;
      for (let a = lexer.nextArgument(); a !== ""; a = lexer.nextArgument()) argv.push(a);
      if (argv[0] === "exit") return 0;
      if ((await this.command(argv, "")) === 255) this.err += "Unknown command\n";
    }
    return 0;
  }

  async command(argv: string[], stdin: string): Promise<number> {
    const [cmd = "", ...args] = argv;
    switch (cmd) {
      case "batch":
        return this.batch(stdin);
      case "show":
      case "changes":
      case "export":
      case "commit":
        return this.packageCmdAll(cmd, args);
      case "get":
      case "set":
      case "add_list":
      case "del_list":
      case "delete":
      case "rename":
      case "revert":
      case "reorder":
        return this.sectionCmd(cmd, args);
      case "add":
        if (args.length !== 2) return 255;
        try {
          this.out += `${await this.store.add(args[0] ?? "", args[1] ?? "")}\n`;
          return 0;
        } catch (e) {
          return this.fail(e);
        }
      case "import":
        try {
          await this.store.write(parseUci(stdin, args[0] ?? ""));
          return 0;
        } catch (e) {
          return this.fail(e);
        }
      default:
        return 255;
    }
  }
}

/** Run `uci <args>`; `-c` and `-t` pick the config and save dirs. */
export async function runUci(args: string[], stdin = ""): Promise<CliResult> {
  const flags: Flags = { extended: true, exportNames: false, strict: true, delimiter: " " };
  let configDir = "/etc/config";
  let saveDir = "/tmp/.uci";
  let i = 0;
  for (; i < args.length && args[i]?.startsWith("-"); i++) {
    const opt = args[i];
    const arg = (): string => args[++i] ?? "";
    if (opt === "-c") configDir = arg();
    else if (opt === "-t") saveDir = arg();
    else if (opt === "-d") flags.delimiter = arg();
    else if (opt === "-X") flags.extended = false;
    else if (opt === "-n") flags.exportNames = true;
    else if (opt === "-N") flags.exportNames = false;
    else if (opt === "-S") flags.strict = false;
    else if (opt === "-s") flags.strict = true;
    else throw new Error(`option ${opt} not emulated`);
  }
  const cli = new Cli(new UciStore({ configDir, saveDir }), flags);
  const code = await cli.command(args.slice(i), stdin);
  return { stdout: cli.out, stderr: cli.err, code };
}
