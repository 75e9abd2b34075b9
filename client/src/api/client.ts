/** Typed fetch over the server's JSON API. Errors arrive as `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let bearer: string | undefined;

/** The short-lived launch token is kept in memory only (never in storage or URLs). */
export function setLaunchToken(token: string | undefined): void {
  bearer = token;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
  const res = await fetch(`/api${path}`, { ...init, headers });
  const body: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? res.statusText);
  }
  return body as T;
}

/** A binary download (evidence files, voice notes) with the bearer token, as a Blob for an object URL. */
export async function apiBlob(path: string): Promise<Blob> {
  const headers = new Headers();
  if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
  const res = await fetch(`/api${path}`, { headers });
  if (!res.ok) throw new ApiError(res.status, 'http_error', res.statusText);
  return res.blob();
}

/**
 * Hands a fetched file to the browser as a download (files behind the bearer token cannot be plain links). The object
 * URL is released a little later: revoking it at once can cancel the download in some browsers.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
