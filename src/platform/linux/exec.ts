// How the Linux adapter runs programs: argv arrays only, never a secret in them. A Runner can
// be swapped for a recording fake (tests diff the transcript) or wrapped to run in a netns.
import { spawn } from "node:child_process";

export interface Command {
  argv: string[];
  stdin?: string;
  env?: Record<string, string>;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Daemon {
  readonly pid: number;
  /** Resolves once the process is gone, with how it ended ("exit 1: <stderr tail>", "SIGTERM"). */
  readonly exited: Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface Runner {
  run(cmd: Command): Promise<CommandResult>;
  /** Start a long-running process in the foreground (we track it by PID). */
  start(cmd: Command): Daemon;
}

/** One canonical transcript line for a command (stdin, never secret, shown by its size). */
export function formatCommand(cmd: Command): string {
  const line = cmd.argv.join(" ");
  return cmd.stdin === undefined ? line : `${line} <<< (${cmd.stdin.length} bytes)`;
}

export class CommandError extends Error {
  constructor(
    readonly cmd: Command,
    readonly result: CommandResult,
  ) {
    // stderr only: the stdout of some commands (`wg show dump`) carries key material.
    super(`${cmd.argv.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
}

/** Runs commands on this host, or inside network namespace `netns` (lab and tests). */
export class ProcessRunner implements Runner {
  constructor(private readonly netns?: string) {}

  private argv(argv: string[]): string[] {
    return this.netns ? ["ip", "netns", "exec", this.netns, ...argv] : argv;
  }

  run(cmd: Command): Promise<CommandResult> {
    const [file, ...args] = this.argv(cmd.argv);
    return new Promise((resolve, reject) => {
      const child = spawn(file!, args, { stdio: [cmd.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"], env: { ...process.env, ...cmd.env } });
      let stdout = "";
      let stderr = "";
      child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      if (child.stdin) {
        child.stdin.on("error", () => {});
        child.stdin.end(cmd.stdin);
      }
    });
  }

  start(cmd: Command): Daemon {
    const [file, ...args] = this.argv(cmd.argv);
    // `ip netns exec` execs the program, so the PID we get is the daemon's own.
    const child = spawn(file!, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...cmd.env } });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-2000)));
    const exited = new Promise<string>((resolve) => {
      child.on("error", (err) => resolve(err.message));
      child.on("exit", (code, signal) => resolve(signal ?? `exit ${code}`));
    });
    if (child.pid === undefined) throw new Error(`cannot start ${cmd.argv[0]}`);
    return {
      pid: child.pid,
      exited: exited.then((how) => (stderr ? `${how}: ${stderr.trim()}` : how)),
      kill: (signal) => child.kill(signal),
    };
  }
}

export async function check(runner: Runner, cmd: Command): Promise<string> {
  const r = await runner.run(cmd);
  if (r.code !== 0) throw new CommandError(cmd, r);
  return r.stdout;
}
