// The only door to the server. Private work goes through private.js, which seals it on the way
// out and opens it on the way in, so the views keep seeing plain objects.
import { request, ApiError, apiEvents } from './http.js';
import * as priv from './private.js';

export { request, ApiError, apiEvents };

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

  // Account (docs/ENCRYPTION.md: the password never leaves the browser, only keys derived from it)
  prelogin: (email) => request('POST', '/api/auth/prelogin', { email }, { quiet401: true }),
  register: (body) => request('POST', '/api/auth/register', body, { quiet401: true }),
  login: (email, authKey) => request('POST', '/api/auth/login', { email, authKey }, { quiet401: true }),
  /** Accounts from before end-to-end encryption sign in once with the password, then upgrade. */
  loginLegacy: (email, password) => request('POST', '/api/auth/login', { email, password }, { quiet401: true }),
  recoverStart: (email, recoveryAuth) => request('POST', '/api/auth/recover/start', { email, recoveryAuth }, { quiet401: true }),
  recover: (body) => request('POST', '/api/auth/recover', body, { quiet401: true }),
  logout: () => request('POST', '/api/auth/logout', {}, { quiet401: true }),
  me: () => request('GET', '/api/me', undefined, { quiet401: true }),
  putKeys: (body) => request('PUT', '/api/me/keys', body, { quiet401: true }),
  deleteAccount: (authKey) => request('DELETE', '/api/me', { authKey }),
  dismissEnding: () => request('DELETE', '/api/me/ending'),
  exportData: () => request('GET', '/api/me/export'),
  exportUrl: '/api/me/export',

  // Private work: sealed and opened in private.js
  exercises: () => request('GET', '/api/exercises'),
  exercise: (id) => request('GET', `/api/exercises/${enc(id)}`),
  reflections: (params) => priv.reflections(query(params)),
  reflection: (id) => priv.reflection(id),
  saveReflection: (id, body, opts) => priv.saveReflection(id, body, opts),
  deleteReflection: (id) => request('DELETE', `/api/reflections/${enc(id)}`),
  parts: () => priv.parts(),
  savePart: (id, body) => priv.savePart(id, body),
  deletePart: (id) => request('DELETE', `/api/parts/${enc(id)}`).finally(() => priv.forgetPart(id)),
  checkins: (from, to) => priv.checkins(query({ from, to })),
  saveCheckin: (id, body) => priv.saveCheckin(id, body),
  checkin: (id) => priv.checkin(id),
  deleteCheckin: (id) => priv.deleteCheckin(id),
  followups: () => priv.followups(),
  saveFollowup: (id, body) => priv.saveFollowup(id, body),
  deleteFollowup: (id) => priv.deleteFollowup(id),
  kept: () => priv.kept(),
  saveKept: (id, content, version) => priv.saveKept(id, content, version),
  deleteKept: (id) => priv.deleteKept(id),

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
  /** carryOver: agenda items that stay flagged for the next review (docs/REVIEW.md "Closing"). */
  closeReview: (id, carryOver) => request('POST', `/api/reviews/${enc(id)}/close`, carryOver && carryOver.length ? { carryOver } : {}),
  briefUrl: (id, format) => `/api/reviews/${enc(id)}/brief?format=${enc(format)}`,
};

/** Lists are wrapped ({"reflections":[…]}); accept a bare array too. */
export function listOf(data, key) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data[key])) return data[key];
  return [];
}
