// Puts the daemon together: config, platform, reconciler, service, web server, control
// socket and the health loop. main.ts decides the options; this file decides nothing.
import { chmod, mkdir, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { dirname } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "./http/app.ts";
import { type Authenticate, type Authorize, Sessions } from "./http/auth.ts";
import { loadStaticFiles } from "./http/static-files.ts";
import type { Platform } from "./platform/types.ts";
import type { ConfigRepository } from "./service/config-file.ts";
import type { Logger } from "./service/log.ts";
import { Reconciler } from "./service/reconciler.ts";
import { VpnService } from "./service/vpn-service.ts";

export interface DaemonOptions {
  platform: Platform;
  repo: ConfigRepository;
  log: Logger;
  listen: { host: string; port: number } | null;
  controlSocket: string | null;
  webRoot: string | null;
  tunnelIfname: string;
  tickMs: number;
  failoverAfterMs?: number;
  authenticate?: Authenticate;
  authorize?: Authorize;
}

export interface Daemon {
  service: VpnService;
  /** Port the web server listens on (useful with port 0). */
  port: number | null;
  stop(): Promise<void>;
}

function listen(server: Server, ...args: [number, string] | [string]): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(...(args as [number, string]), () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const reconciler = new Reconciler(opts.platform, { tunnelIfname: opts.tunnelIfname, log: opts.log, ...(opts.failoverAfterMs ? { failoverAfterMs: opts.failoverAfterMs } : {}), probeEveryMs: Math.max(opts.tickMs * 5, 10_000) });
  const service = new VpnService(opts.repo, reconciler);
  await service.start();
  const servers: Server[] = [];
  let port: number | null = null;

  if (opts.listen) {
    const sessions = new Sessions();
    if (!service.hasPassword() && !opts.authenticate) opts.log.info(`no web password yet: open the web UI and enter setup code ${sessions.setupCode}, or run: enigm-vpn passwd`);
    const app = createApp({
      service,
      mode: "web",
      sessions,
      ...(opts.authenticate ? { authenticate: opts.authenticate } : {}),
      ...(opts.authorize ? { authorize: opts.authorize } : {}),
      ...(opts.webRoot ? { staticFiles: await loadStaticFiles(opts.webRoot) } : {}),
      clientAddress: (c) => getConnInfo(c).remote.address ?? "unknown",
    });
    const web = createAdaptorServer({ fetch: app.fetch }) as Server;
    await listen(web, opts.listen.port, opts.listen.host);
    const addr = web.address();
    port = typeof addr === "object" && addr ? addr.port : null;
    servers.push(web);
    opts.log.info(`web UI on http://${opts.listen.host.includes(":") ? `[${opts.listen.host}]` : opts.listen.host}:${port}`);
  }
  if (opts.controlSocket) {
    await mkdir(dirname(opts.controlSocket), { recursive: true, mode: 0o700 });
    await rm(opts.controlSocket, { force: true });
    const control = createAdaptorServer({ fetch: createApp({ service, mode: "control" }).fetch }) as Server;
    await listen(control, opts.controlSocket);
    await chmod(opts.controlSocket, 0o600);
    servers.push(control);
  }

  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      await new Promise((r) => setTimeout(r, opts.tickMs));
      if (stopping) break;
      await reconciler.tick().catch((err: Error) => opts.log.error(`health check failed: ${err.message}`));
    }
  };
  const looping = loop();

  return {
    service,
    port,
    async stop() {
      stopping = true;
      await looping;
      for (const s of servers) {
        s.closeAllConnections?.();
        await new Promise<void>((r) => s.close(() => r()));
      }
      if (opts.controlSocket) await rm(opts.controlSocket, { force: true });
      await opts.platform.close();
    },
  };
}
