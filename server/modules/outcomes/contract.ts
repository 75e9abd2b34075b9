/** The outcomes contract lives in server/contract/outcomes.ts (shared with the client). */
export * from '../../contract/outcomes.js';
