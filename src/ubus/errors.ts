// Errors of the ubus layer: a malformed buffer, and a ubus status other than OK.

/** A blob/blobmsg buffer or ubus message that does not parse. `offset` is where it broke. */
export class BlobError extends Error {
  override name = "BlobError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

/** enum ubus_msg_status, in wire order. */
export const UBUS_STATUS = [
  "UBUS_STATUS_OK",
  "UBUS_STATUS_INVALID_COMMAND",
  "UBUS_STATUS_INVALID_ARGUMENT",
  "UBUS_STATUS_METHOD_NOT_FOUND",
  "UBUS_STATUS_NOT_FOUND",
  "UBUS_STATUS_NO_DATA",
  "UBUS_STATUS_PERMISSION_DENIED",
  "UBUS_STATUS_TIMEOUT",
  "UBUS_STATUS_NOT_SUPPORTED",
  "UBUS_STATUS_UNKNOWN_ERROR",
  "UBUS_STATUS_CONNECTION_FAILED",
  "UBUS_STATUS_NO_MEMORY",
  "UBUS_STATUS_PARSE_ERROR",
  "UBUS_STATUS_SYSTEM_ERROR",
] as const;

export type UbusStatusName = (typeof UBUS_STATUS)[number];

/** Status codes by name, e.g. `Status.NOT_FOUND === 4`. */
export const Status = {
  OK: 0,
  INVALID_COMMAND: 1,
  INVALID_ARGUMENT: 2,
  METHOD_NOT_FOUND: 3,
  NOT_FOUND: 4,
  NO_DATA: 5,
  PERMISSION_DENIED: 6,
  TIMEOUT: 7,
  NOT_SUPPORTED: 8,
  UNKNOWN_ERROR: 9,
  CONNECTION_FAILED: 10,
  NO_MEMORY: 11,
  PARSE_ERROR: 12,
  SYSTEM_ERROR: 13,
} as const;

/** The texts of libubus's ubus_strerror(), which the CLI prints. */
const TEXT = [
  "Success",
  "Invalid command",
  "Invalid argument",
  "Method not found",
  "Not found",
  "No response",
  "Permission denied",
  "Request timed out",
  "Operation not supported",
  "Unknown error",
  "Connection failed",
  "Out of memory",
  "Parsing message data failed",
  "System error",
];

/** A request that ended with a status other than OK; `code` is the ubus name, e.g. UBUS_STATUS_NOT_FOUND. */
export class UbusError extends Error {
  override name = "UbusError";
  readonly code: UbusStatusName | "UBUS_STATUS_UNKNOWN";
  constructor(
    readonly status: number,
    detail?: string,
  ) {
    const text = TEXT[status] ?? `Unknown status ${status}`;
    super(detail ? `${text}: ${detail}` : text);
    this.code = UBUS_STATUS[status] ?? "UBUS_STATUS_UNKNOWN";
  }
}
