/** Application errors with stable snake_case codes; the error handler turns them into JSON bodies. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor({
    status,
    code,
    message,
    details = [],
  }: {
    status: number;
    code: string;
    message: string;
    details?: ErrorDetail[];
  }) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError({ status: 404, code: 'not_found', message: `No such ${what}.` });
export const forbidden = (message = 'You are not allowed to do this.') =>
  new AppError({ status: 403, code: 'forbidden', message });
export const unauthorized = (message = 'Sign in through your learning platform to continue.') =>
  new AppError({ status: 401, code: 'unauthorized', message });
export const invalid = (message: string, details: ErrorDetail[] = []) =>
  new AppError({ status: 400, code: 'invalid_request', message, details });
export const conflict = (code: string, message: string) => new AppError({ status: 409, code, message });
