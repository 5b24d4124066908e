// Line logger to stderr (procd hands it to logd). Callers never pass key material.
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function stderrLogger(tag = "enigm-vpnd"): Logger {
  const line = (level: string) => (msg: string) => process.stderr.write(`${tag}: ${level}: ${msg}\n`);
  return { info: line("info"), warn: line("warn"), error: line("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
