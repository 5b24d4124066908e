// Test double for the config file: keeps the config in memory and counts saves, for tests
// of the service and HTTP layers that are not about the UCI file itself.
import { type Config, defaultConfig } from "../../src/core/config.ts";
import type { ConfigRepository } from "../../src/service/config-file.ts";

export class MemoryConfigRepositoryDouble implements ConfigRepository {
  saves = 0;
  constructor(public config: Config = defaultConfig()) {}
  async load(): Promise<Config> {
    return structuredClone(this.config);
  }
  async save(config: Config): Promise<void> {
    this.saves++;
    this.config = structuredClone(config);
  }
}
