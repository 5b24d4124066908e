// One error type for everything a caller can get wrong or be refused. The code decides the
// HTTP status / ubus status; `field` names the offending input where there is one.
export type ErrorCode =
  | "invalid_input"
  | "unauthorized"
  | "forbidden"
  | "policy_refused"
  | "not_found"
  | "conflict"
  | "too_many_requests"
  | "apply_failed";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function invalid(field: string, message: string): ApiError {
  return new ApiError("invalid_input", message, field);
}

/** Quote a user-supplied value for an error message, shortened so a huge paste stays readable. */
export function quote(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value) ?? "nothing";
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
