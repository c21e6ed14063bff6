// App-wide actions shared by the views: navigation and the session's life cycle.
import { api } from './api.js';
import { realtime } from './realtime.js';
import { session, refreshSession, clearSession } from './store.js';

let router = () => {};
export function setRouter(fn) { router = fn; }

export function navigate(hash, replace = false) {
  if (location.hash === hash) { router(); return; }
  if (replace) location.replace(hash);
  else location.hash = hash;
}

let notice = null;
/**
 * The message for the sign-in screen ("Your session has ended…"). It stays until the next
 * session starts: the sign-in view may be drawn twice in a row (a socket closing with 4401 and
 * the answer to "delete my account" both end the session), and the second drawing must still say it.
 */
export function authNotice() {
  return notice;
}

export async function startSession(user) {
  notice = null;
  if (user) session.set({ user });
  await refreshSession();
  realtime.start();
}

export function endSession(message) {
  realtime.stop();
  clearSession();
  notice = message || null;
  navigate('#/signin', true);
}

export async function signOut() {
  try {
    await api.logout();
  } catch {
    // Even if the server is unreachable, this tab forgets everything.
  }
  endSession('You have signed out. See you soon.');
}

/** Pairing changed (created, joined, left): refetch the couple and reconnect the socket. */
export async function afterPairingChange() {
  try { await refreshSession(); } finally { realtime.restart(); }
}

/** Views register a check here so the tab warns before unsaved words are lost. */
export const unsavedGuards = new Set();
