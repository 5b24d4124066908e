// Keeps the config as a UCI file: read on start, every change written to a temp file in the
// same directory and renamed over the old one (mode 0600: it holds the private key).
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Config, defaultConfig } from "../core/config.ts";
import { configFromUci, configToUci } from "../core/config-uci.ts";
import { parseUci } from "../uci/parse.ts";
import { serializeUci } from "../uci/serialize.ts";

export interface ConfigRepository {
  load(): Promise<Config>;
  save(config: Config): Promise<void>;
}

export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data, { mode, flag: "wx" });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export class UciConfigFile implements ConfigRepository {
  /** `initial` is what a missing file reads as (the defaults, or the simulator's demo). */
  constructor(
    readonly path: string,
    private readonly initial: () => Config = defaultConfig,
  ) {}

  async load(): Promise<Config> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return this.initial();
      throw err;
    }
    return configFromUci(parseUci(text, "enigm-vpn"));
  }

  async save(config: Config): Promise<void> {
    await writeFileAtomic(this.path, serializeUci(configToUci(config)), 0o600);
  }
}
