/** Retention defaults and limits: see server/contract/privacy.ts and docs/privacy.md. */
export { RETENTION_DEFAULTS, RETENTION_LIMITS } from '../../contract/privacy.js';
