// libuci's error classes. `message` is detailed (field and quoted value); `uciText` is what the
// real CLI prints after "uci: ", so a caller emulating the tool can reproduce it exactly.
export type UciErrorCode = "invalid" | "not_found" | "io" | "parse" | "duplicate";

const UCI_TEXT: Record<UciErrorCode, string> = {
  invalid: "Invalid argument",
  not_found: "Entry not found",
  io: "I/O error",
  parse: "Parse error",
  duplicate: "Duplicate entry",
};

export class UciError extends Error {
  constructor(
    readonly code: UciErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UciError";
  }

  /** The text libuci's uci_perror() prints for this error. */
  get uciText(): string {
    return UCI_TEXT[this.code];
  }
}

/** A syntax error in a config file, positioned the way libuci reports it. */
export class UciParseError extends UciError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly byte: number,
  ) {
    super("parse", `Parse error (${reason}) at line ${line}, byte ${byte}`);
    this.name = "UciParseError";
  }

  override get uciText(): string {
    return this.message;
  }
}

export function quoteValue(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
