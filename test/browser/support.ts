// A daemon on the simulator with the built UI, and Debian's Chromium driven by playwright-core.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { type Daemon, startDaemon } from "../../src/daemon.ts";
import { SimPlatform } from "../../src/platform/sim/index.ts";
import { UciConfigFile } from "../../src/service/config-file.ts";
import { UciStore } from "../../src/uci/store.ts";

export const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export interface UiDaemon {
  daemon: Daemon;
  url: string;
  platform: SimPlatform;
  /** What the daemon logged (the first-start setup code is printed there). */
  log: string[];
  close(): Promise<void>;
}

export async function startUiDaemon(password: string | null): Promise<UiDaemon> {
  const dir = await mkdtemp(join(tmpdir(), "enigm-ui-"));
  const platform = new SimPlatform({ handshakeDelayMs: 300 });
  const log: string[] = [];
  const keep = (msg: string) => void log.push(msg);
  const daemon = await startDaemon({
    platform,
    repo: new UciConfigFile(new UciStore({ configDir: dir, saveDir: join(dir, ".uci") })),
    log: { info: keep, warn: keep, error: keep },
    listen: { host: "127.0.0.1", port: 0 },
    controlSocket: null,
    webRoot: "dist/web",
    tunnelIfname: "enigmvpn0",
    tickMs: 100,
  });
  if (password) await daemon.service.setPassword(password);
  return {
    daemon,
    platform,
    log,
    url: `http://127.0.0.1:${daemon.port}`,
    async close() {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
