/**
 * Waymark's LTI 1.3 / LTI Advantage core. Imports only `jose`, `zod` and node built-ins; storage,
 * HTTP framework and configuration come in through the ports in `ports.ts`. See lti/README.md.
 */
export * from './errors.js';
export * from './ports.js';
export * from './claims.js';
export * from './roles.js';
export * from './jwks.js';
export * from './keys.js';
export * from './login.js';
export * from './launch.js';
export * from './deep-linking.js';
export * from './service-token.js';
export * from './ags.js';
export * from './nrps.js';
export * from './dynamic-registration.js';
