/** Turns the bearer launch token into `req.ctx` (school, actor). Nothing tenant-related comes from the body. */
import type { RequestHandler } from 'express';
import { unauthorized } from '../errors.js';
import type { Role } from '../modules/people/model.js';
import { verifyLaunchToken } from './launch-token.js';

export interface Actor {
  id: string;
  role: Role;
}

export interface RequestContext {
  schoolId: string;
  actor: Actor;
  classId?: string;
  resourceLinkId?: string;
  deepLinkId?: string;
  lang: 'en' | 'nl';
  tokenExpiresAt: Date;
}

declare module 'express-serve-static-core' {
  interface Request {
    ctx?: RequestContext;
  }
}

export function authenticate(key: Uint8Array): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw unauthorized();
    const claims = await verifyLaunchToken(key, token);
    if (!claims) throw unauthorized('Your session has ended. Open Waymark again from your learning platform.');
    req.ctx = {
      schoolId: claims.sch,
      actor: { id: claims.sub, role: claims.role },
      ...(claims.cls ? { classId: claims.cls } : {}),
      ...(claims.rl ? { resourceLinkId: claims.rl } : {}),
      ...(claims.dl ? { deepLinkId: claims.dl } : {}),
      lang: claims.lang,
      tokenExpiresAt: new Date(claims.exp * 1000),
    };
    req.log = req.log.child({ schoolId: claims.sch, role: claims.role, userId: claims.sub });
    next();
  };
}

/** The verified context; for handlers mounted behind `authenticate`. */
export function ctxOf(req: { ctx?: RequestContext }): RequestContext {
  if (!req.ctx) throw unauthorized();
  return req.ctx;
}
