// The only door to the server: JSON over fetch with the session cookie,
// errors parsed from the contract's {"error":{code,message,field}} shape.

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

const enc = encodeURIComponent;
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  post: (path, body, opts) => request('POST', path, body, opts),
  del: (path, body, opts) => request('DELETE', path, body, opts),

  // Account
  register: (email, password, displayName) => request('POST', '/api/auth/register', { email, password, displayName }, { quiet401: true }),
  login: (email, password) => request('POST', '/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => request('POST', '/api/auth/logout', {}, { quiet401: true }),
  me: () => request('GET', '/api/me', undefined, { quiet401: true }),
  deleteAccount: (password) => request('DELETE', '/api/me', { password }),
  exportUrl: '/api/me/export',

  // Private work
  exercises: () => request('GET', '/api/exercises'),
  exercise: (id) => request('GET', `/api/exercises/${enc(id)}`),
  reflections: (params) => request('GET', `/api/reflections${query(params)}`),
  reflection: (id) => request('GET', `/api/reflections/${enc(id)}`),
  saveReflection: (id, body, opts) => request('PUT', `/api/reflections/${enc(id)}`, body, opts),
  deleteReflection: (id) => request('DELETE', `/api/reflections/${enc(id)}`),
  parts: () => request('GET', '/api/parts'),
  savePart: (id, body) => request('PUT', `/api/parts/${enc(id)}`, body),
  deletePart: (id) => request('DELETE', `/api/parts/${enc(id)}`),
  checkins: (from, to) => request('GET', `/api/checkins${query({ from, to })}`),
  saveCheckin: (id, body) => request('PUT', `/api/checkins/${enc(id)}`, body),

  // Couple
  createCouple: () => request('POST', '/api/couple', {}),
  newInvite: () => request('POST', '/api/couple/invite', {}),
  joinCouple: (code) => request('POST', '/api/couple/join', { code }),
  couple: () => request('GET', '/api/couple'),
  leaveCouple: () => request('DELETE', '/api/couple'),

  // Shares
  shares: () => request('GET', '/api/shares'),
  share: (id) => request('GET', `/api/shares/${enc(id)}`),
  saveShare: (id, body) => request('PUT', `/api/shares/${enc(id)}`, body),
  withdrawShare: (id) => request('DELETE', `/api/shares/${enc(id)}`),
  flagShare: (id, flag) => request('PUT', `/api/shares/${enc(id)}/counseling`, { flag }),
  respond: (id, rid, body) => request('PUT', `/api/shares/${enc(id)}/responses/${enc(rid)}`, body),
  deleteResponse: (id, rid) => request('DELETE', `/api/shares/${enc(id)}/responses/${enc(rid)}`),

  // Reviews
  startReview: () => request('POST', '/api/reviews', {}),
  currentReview: () => request('GET', '/api/reviews/current'),
  reviews: () => request('GET', '/api/reviews'),
  review: (id) => request('GET', `/api/reviews/${enc(id)}`),
  setAgenda: (id, shareIds) => request('PUT', `/api/reviews/${enc(id)}/agenda`, { shareIds }),
  setNote: (id, shareId, text) => request('PUT', `/api/reviews/${enc(id)}/notes/${enc(shareId)}`, { text }),
  setReady: (id, ready) => request('PUT', `/api/reviews/${enc(id)}/ready`, { ready }),
  closeReview: (id) => request('POST', `/api/reviews/${enc(id)}/close`, {}),
  briefUrl: (id, format) => `/api/reviews/${enc(id)}/brief?format=${enc(format)}`,
};

/** Lists are wrapped ({"reflections":[…]}); accept a bare array too. */
export function listOf(data, key) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data[key])) return data[key];
  return [];
}
