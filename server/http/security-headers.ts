/**
 * Security headers for a tool that LMS pages frame. `frame-ancestors` lists the frame origins stored with the
 * platform registrations (plus the demo LMS when it runs); X-Frame-Options is never sent, because DENY or
 * SAMEORIGIN would break every LMS.
 */
import type { RequestHandler } from 'express';

export interface FrameAncestors {
  /** Origins allowed to frame Waymark; cached briefly so every process converges on new registrations. */
  list(): Promise<string[]>;
}

export function securityHeaders(options: {
  frameAncestors: FrameAncestors;
  https: boolean;
  devServer?: boolean;
}): RequestHandler {
  // `npm run dev` only: Vite's React refresh preamble is an inline script and hot reload uses a websocket.
  const scriptSrc = options.devServer ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'";
  const connectSrc = options.devServer ? "connect-src 'self' ws: wss:" : "connect-src 'self'";
  return async (_req, res, next) => {
    const origins = await options.frameAncestors.list();
    const ancestors = ["'self'", ...origins].join(' ');
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        scriptSrc,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        connectSrc,
        "object-src 'none'",
        "base-uri 'self'",
        `frame-ancestors ${ancestors}`,
      ].join('; '),
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    res.setHeader('Permissions-Policy', 'camera=(), geolocation=(), microphone=(self)');
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    res.removeHeader('X-Powered-By');
    next();
  };
}

/** Reads frame origins from platform registrations, cached for `ttlMs` (stateless: every process reads the db). */
export function cachedFrameAncestors(load: () => Promise<string[]>, ttlMs = 30_000, now = () => Date.now()): FrameAncestors {
  let cached: { at: number; origins: string[] } | undefined;
  let pending: Promise<string[]> | undefined;
  return {
    async list() {
      if (cached && now() - cached.at < ttlMs) return cached.origins;
      pending ??= load()
        .then((origins) => {
          cached = { at: now(), origins: [...new Set(origins)].sort() };
          return cached.origins;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
}
