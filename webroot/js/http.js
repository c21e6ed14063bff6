// JSON over fetch with the session cookie, errors parsed from the contract's
// {"error":{code,message,field}} shape. api.js builds the calls on this.

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.body = body || null;
    // 409 version_conflict / review_open carry the stored resource.
    this.current = body && body.current ? body.current : null;
  }
  get isNetwork() { return this.status === 0; }
  get isRetryable() { return this.status === 0 || this.status >= 500 || this.status === 429; }
}

/** Fires 'unauthenticated' when the server says the session is gone. */
export const apiEvents = new EventTarget();

const FALLBACK = {
  0: "We couldn't reach the server. Check your connection and try again.",
  400: 'Something in the form needs another look.',
  401: 'Please sign in again.',
  403: "You can't do that here.",
  404: "We couldn't find that. It may have been removed.",
  409: 'That changed in the meantime. Please try again.',
  413: 'That is too long to save in one go.',
  429: 'Too many tries in a short time. Please wait a little and try again.',
  500: 'Something went wrong on our side. Your words are still here; please try again.',
};

function fallbackMessage(status) {
  if (FALLBACK[status]) return FALLBACK[status];
  return status >= 500 ? FALLBACK[500] : 'Something went wrong. Please try again.';
}

export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, credentials: 'same-origin', headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (options.keepalive) init.keepalive = true;
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', FALLBACK[0]);
  }
  let data = null;
  // Always drain the body (even a 204's), so the request completes cleanly.
  const text = await res.text().catch(() => '');
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && typeof data.error === 'object' && data.error) || {};
    let message = typeof err.message === 'string' && err.message ? err.message : fallbackMessage(res.status);
    if (res.status === 429) {
      const after = Number(res.headers.get('Retry-After'));
      if (after > 0) message += ` (You can try again in about ${Math.ceil(after / 60)} minute${after > 60 ? 's' : ''}.)`;
    }
    const error = new ApiError(res.status, err.code || `http_${res.status}`, message, err.field, data);
    if (res.status === 401 && error.code !== 'invalid_credentials' && !options.quiet401) {
      apiEvents.dispatchEvent(new CustomEvent('unauthenticated'));
    }
    throw error;
  }
  return data;
}

