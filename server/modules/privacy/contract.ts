/** The privacy contract lives in server/contract/privacy.ts (shared with the client). */
export * from '../../contract/privacy.js';
