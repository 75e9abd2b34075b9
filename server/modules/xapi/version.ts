/**
 * Version negotiation by `X-Experience-API-Version` (Communication 3.3): 1.0.x requests are answered as 1.0.3,
 * 2.0.x requests as 2.0.0; a missing or unknown header is refused (except on the About resource).
 */
export type XapiVersion = '1.0.3' | '2.0';

/** What the About resource lists. */
export const SUPPORTED_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'];

/** The header value a response carries. */
export const responseVersion = (v: XapiVersion) => (v === '2.0' ? '2.0.0' : '1.0.3');

/** Reads the request's version; undefined when absent or unsupported. */
export function negotiateVersion(header: string | undefined): XapiVersion | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^1\.0(\.\d+)?$/.test(value)) return '1.0.3';
  if (/^2\.0(\.\d+)?$/.test(value)) return '2.0';
  return undefined;
}
