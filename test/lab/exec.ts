// Run a command (argv, optional stdin) and collect its output; the lab's only way to touch the system.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(argv: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"], timeout: opts.timeoutMs ?? 20_000 });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (child.stdin) {
      child.stdin.on("error", () => {}); // a command may exit without reading its input
      child.stdin.end(opts.stdin);
    }
  });
}

/** Like run, but throws with the command and its stderr when it fails. */
export async function must(argv: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A short random tag so names (namespaces, WireGuard interfaces) never collide across runs. */
export function runTag(): string {
  return randomBytes(3).toString("hex");
}

export const isRoot = process.getuid?.() === 0;

/** A throwaway network namespace for checks that need a kernel but no topology. */
export async function withNetns<T>(fn: (ns: string) => Promise<T>): Promise<T> {
  const ns = `evt-${runTag()}`;
  await must(["ip", "netns", "add", ns]);
  try {
    return await fn(ns);
  } finally {
    await run(["ip", "netns", "del", ns]);
  }
}
