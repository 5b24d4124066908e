// Bundle size, cold start and memory of the daemon against a plain node:http server.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { defaultConfig } from "../src/core/config.ts";
import { hashPassword } from "../src/core/password.ts";
import { UciConfigFile } from "../src/service/config-file.ts";
import { UciStore } from "../src/uci/store.ts";
import { freePort, median, rssBytes, startAndTime, stop } from "./support.ts";

const RUNS = 7;
const REQUESTS = 10_000;
const PASSWORD = "bench password";

async function daemonArgs(dir: string, port: number): Promise<string[]> {
  return ["dist/enigm-vpnd.mjs", "--platform", "sim", "--data-dir", dir, "--listen", `127.0.0.1:${port}`];
}

async function load(port: number, headers: Record<string, string>): Promise<void> {
  const url = `http://127.0.0.1:${port}/api/v1/status`;
  let left = REQUESTS;
  const worker = async () => {
    while (left-- > 0) await (await fetch(url, { headers })).arrayBuffer();
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

export default async function () {
  const bundle = await readFile("dist/enigm-vpnd.mjs");
  const dir = await mkdtemp(join(tmpdir(), "enigm-bench-"));
  try {
    await new UciConfigFile(new UciStore({ configDir: dir, saveDir: join(dir, "save") })).save({ ...defaultConfig(), web: { passwordHash: hashPassword(PASSWORD) } });
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p1 = await freePort();
      const a = await startAndTime(await daemonArgs(dir, p1), `http://127.0.0.1:${p1}/api/v1/health`);
      ours.push(a.ms);
      await stop(a.child);
      const p2 = await freePort();
      const b = await startAndTime(["bench/baseline-server.mjs", `127.0.0.1:${p2}`], `http://127.0.0.1:${p2}/api/v1/health`);
      base.push(b.ms);
      await stop(b.child);
    }

    const p1 = await freePort();
    const d = await startAndTime(await daemonArgs(dir, p1), `http://127.0.0.1:${p1}/api/v1/health`);
    const login = await fetch(`http://127.0.0.1:${p1}/api/v1/login`, { method: "POST", body: JSON.stringify({ password: PASSWORD }), headers: { "Content-Type": "application/json" } });
    if (login.status !== 200) throw new Error(`bench login failed: ${login.status}`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    await load(p1, { Cookie: cookie });
    const rss = await rssBytes(d.child.pid!);
    const statusFile = join(dir, "status.json");
    await writeFile(statusFile, Buffer.from(await (await fetch(`http://127.0.0.1:${p1}/api/v1/status`, { headers: { Cookie: cookie } })).arrayBuffer()));
    await stop(d.child);

    const p2 = await freePort();
    const b = await startAndTime(["bench/baseline-server.mjs", `127.0.0.1:${p2}`, statusFile], `http://127.0.0.1:${p2}/api/v1/health`);
    await load(p2, {});
    const baseRss = await rssBytes(b.child.pid!);
    await stop(b.child);

    const cold = median(ours);
    const baseCold = median(base);
    return {
      server_bundle_bytes: (await stat("dist/enigm-vpnd.mjs")).size,
      server_bundle_gzip_bytes: gzipSync(bundle).length,
      cold_start_ms: Math.round(cold * 10) / 10,
      baseline_cold_start_ms: Math.round(baseCold * 10) / 10,
      cold_start_ratio: Math.round((cold / baseCold) * 100) / 100,
      rss_after_load_bytes: rss,
      baseline_rss_after_load_bytes: baseRss,
      rss_ratio: Math.round((rss / baseRss) * 100) / 100,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
