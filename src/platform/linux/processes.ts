// PID files for the processes the adapter starts, so a restarted daemon (after kill -9) can
// stop what its predecessor left running instead of fighting it for the interface or port 53.
import { readFile, rm, writeFile } from "node:fs/promises";

/** Stop the process named in pidFile if it still runs `comm`; the PID file is removed either way. */
export async function stopStale(pidFile: string, comm: string): Promise<void> {
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim().split(/\s+/)[0]);
  if (Number.isInteger(pid) && pid > 1) {
    const running = (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim();
    if (running === comm) {
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 50 && (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim() === comm; i++) await sleep(20);
      if ((await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim() === comm) process.kill(pid, "SIGKILL");
    }
  }
  await rm(pidFile, { force: true });
}

export async function writePidFile(pidFile: string, pid: number): Promise<void> {
  await writeFile(pidFile, `${pid}\n`, { mode: 0o600 });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
