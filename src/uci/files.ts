// The file side effects of the store: an exclusive lock file and write-temp-then-rename.
import { randomBytes } from "node:crypto";
import { open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UciError } from "./errors.ts";

/** libuci's mode for a config file it creates (UCI_FILEMODE). */
const NEW_FILE_MODE = 0o600;

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

async function holderAlive(lockPath: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
  if (!Number.isInteger(pid) || pid <= 0) return true; // being written right now
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== "ESRCH";
  }
}

/**
 * Run `fn` holding `lockPath` (created exclusively, holding our pid). A lock left by a dead
 * process is taken over; a live holder is waited for up to `timeoutMs`.
 */
export async function withLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(lockPath, "wx", 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (e) {
      if (errno(e) !== "EEXIST") throw new UciError("io", `cannot create lock ${JSON.stringify(lockPath)}: ${(e as Error).message}`);
      if (!(await holderAlive(lockPath))) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new UciError("io", `lock ${JSON.stringify(lockPath)} is held by another process`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

/**
 * Replace `path` atomically: write a temp file beside it (libuci's `.<name>.uci-XXXXXX`),
 * fsync, give it the old file's mode (NEW_FILE_MODE for a new file), rename over the real
 * path (so a symlinked config stays a symlink).
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const mode = await stat(target).then(
    (st) => st.mode & 0o7777,
    () => NEW_FILE_MODE,
  );
  const temp = join(dirname(target), `.${basename(target)}.uci-${randomBytes(4).toString("hex").slice(0, 6)}`);
  const fh = await open(temp, "wx", NEW_FILE_MODE);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
    await fh.close();
    await rename(temp, target);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new UciError("io", `cannot write ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}
