/**
 * Outbound HTTP for forwarding: one request with a hard timeout, the body read as text (bounded), and
 * Retry-After parsed (RFC 9110 §10.2.3: delay-seconds or an HTTP-date).
 */

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A request that got no HTTP answer. */
export class NetworkError extends Error {
  constructor(
    readonly code: 'timeout' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const MAX_BODY = 64 * 1024;

/**
 * Sends one request; any answer (2xx to 5xx) resolves.
 * @throws NetworkError on a timeout, refused or reset connection, DNS failure.
 */
export async function send(fetchFn: FetchLike, url: string, init: RequestInit, timeoutMs: number): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  timer.unref();
  try {
    const res = await fetchFn(url, { ...init, signal: controller.signal, redirect: 'manual' });
    const text = (await res.text()).slice(0, MAX_BODY);
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    if (controller.signal.aborted) throw new NetworkError('timeout', `no answer within ${timeoutMs} ms`);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new NetworkError('network', cause ? `connection failed (${cause})` : 'connection failed');
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds to wait from a Retry-After header, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** A short, log-safe reason from an LRS error body (JSON `message`/`error`, or the text), never secrets we sent. */
export function reasonOf(answer: HttpAnswer): string {
  let reason = answer.text;
  try {
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    const err = body.error;
    const message =
      typeof body.message === 'string'
        ? body.message
        : typeof err === 'string'
          ? err
          : typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
            ? (err as { message: string }).message
            : undefined;
    if (message) reason = message;
  } catch {
    /* not JSON: the text itself */
  }
  reason = reason.replace(/\s+/g, ' ').trim();
  return (reason || `HTTP ${answer.status}`).slice(0, 500);
}
