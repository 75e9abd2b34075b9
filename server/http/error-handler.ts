import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.js';

function requestIdOf(req: { id?: unknown }): string {
  return typeof req.id === 'string' ? req.id : '';
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** Maps errors to `{ error: { code, message, details, requestId } }`; unknown errors become 500 internal_error. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const requestId = requestIdOf(req);
  if (err instanceof AppError) {
    if (err.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: err.code, status: err.status }, 'request refused');
    res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details, requestId } });
    return;
  }
  const e = err as HttpishError;
  const status = e.status ?? e.statusCode;
  // body-parser errors: malformed JSON, too large, wrong charset. Their messages are safe to show.
  if (status && status >= 400 && status < 500 && e.expose) {
    const code =
      e.type === 'entity.too.large' ? 'payload_too_large' : e.type === 'entity.parse.failed' ? 'malformed_json' : 'bad_request';
    req.log.info({ code, status }, 'request refused');
    res.status(status).json({ error: { code, message: e.message ?? 'Bad request.', details: [], requestId } });
    return;
  }
  req.log.error({ err }, 'unhandled error');
  res.status(500).json({
    error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.', details: [], requestId },
  });
};

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'not_found', message: `No route for ${req.method} ${req.path}.`, details: [], requestId: requestIdOf(req) },
  });
};
