// Keeps the config in UCI: /etc/config/enigm-vpn on a router, <data-dir>/enigm-vpn elsewhere.
// Reads the committed file (someone's uncommitted `uci set` does not count until committed);
// writes go through the UCI store: under its lock, temp file then rename, mode 0600 (the file
// holds the private key).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Config, defaultConfig } from "../core/config.ts";
import { configFromUci, configToUci, mergeConfigIntoUci } from "../core/config-uci.ts";
import { UciError } from "../uci/errors.ts";
import { parseUci } from "../uci/parse.ts";
import type { UciStore } from "../uci/store.ts";

export interface ConfigRepository {
  load(): Promise<Config>;
  save(config: Config): Promise<void>;
}

export const CONFIG_NAME = "enigm-vpn";

export class UciConfigFile implements ConfigRepository {
  /** `initial` is what a missing file reads as (the defaults, or the simulator's demo). */
  constructor(
    private readonly store: UciStore,
    private readonly initial: () => Config = defaultConfig,
  ) {}

  get path(): string {
    return join(this.store.configDir, CONFIG_NAME);
  }

  async load(): Promise<Config> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return this.initial();
      throw err;
    }
    return configFromUci(parseUci(text, CONFIG_NAME));
  }

  async save(config: Config): Promise<void> {
    try {
      await this.store.update(CONFIG_NAME, (current) => mergeConfigIntoUci(current, config));
    } catch (err) {
      if (!(err instanceof UciError && err.code === "not_found")) throw err;
      await this.store.write(configToUci(config));
    }
  }
}
