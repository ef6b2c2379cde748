import { toast } from "sonner";

/** RFC 9457 problem details as the API sends them (`application/problem+json`). */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extension members, e.g. pydantic's `errors` on a 422. */
  [extension: string]: unknown;
}

/** The API answered with a non-2xx status, or could not be reached (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.problem = problem;
  }
}

/** The session could not be renewed; the user has been sent to /login. */
export class SessionExpiredError extends Error {
  constructor() {
    super("Your session expired. Sign in again to continue.");
    this.name = "SessionExpiredError";
  }
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/**
 * Tell the user a call failed: a toast with the problem's `title` and `detail`.
 *
 * Session expiry is not toasted, because the login page already says so.
 */
export function notifyError(error: unknown): void {
  if (error instanceof SessionExpiredError) return;
  if (error instanceof ApiError) {
    toast.error(error.title, { description: error.detail });
    return;
  }
  toast.error("Something went wrong", { description: error instanceof Error ? error.message : undefined });
}
