// App-wide actions shared by the views: navigation and the session's life cycle.
import { api } from './api.js';
import { realtime } from './realtime.js';
import { session, refreshSession, clearSession } from './store.js';
import { vault } from './vault.js';
import { secureUnsealed } from './private.js';

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

/** Signed in and unlocked: load the session, go live, and seal whatever is still unsealed. */
export async function startSession(user) {
  notice = null;
  if (user) session.set({ user });
  await refreshSession();
  realtime.start();
  secureIfNeeded();
}

const securing = { running: null };
/** Seals legacy work and kept words (docs/ENCRYPTION.md) with a short progress line; an interruption just runs again next time. */
export function secureIfNeeded(force = false) {
  if (!vault.isUnlocked || (!force && !session.state.unsealed)) return securing.running || Promise.resolve();
  if (securing.running) return securing.running;
  const line = document.querySelector('[data-testid="securing"]');
  const show = (text) => { if (line) { line.textContent = text; line.hidden = !text; } };
  show('Securing your private work…');
  securing.running = secureUnsealed((done, total) => {
    if (total) show(`Securing your private work… (${done} of ${total})`);
  }).then((finished) => {
    if (finished) session.set({ unsealed: false });
    show('');
    // Whatever the views loaded before this showed "still being secured": let them reload it.
    realtime.dispatchEvent(new CustomEvent('resync', { detail: { stream: 'self' } }));
  }).catch((e) => {
    console.warn('Securing private work stopped; it runs again next time.', e && e.message);
    show('');
  }).finally(() => { securing.running = null; });
  return securing.running;
}

export function endSession(message) {
  realtime.stop();
  clearSession();
  vault.lock();
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

/** "Lock now": the key leaves memory and this browser's other tabs; the password opens it again. */
export function lockNow() {
  vault.lock(); // main.js stops the socket and shows the unlock screen
}

/** Unlocked again (password or another tab): go live and show the page that was asked for. */
export async function afterUnlock() {
  await refreshSession().catch(() => {});
  realtime.start();
  secureIfNeeded();
  router();
}

/** Pairing changed (created, joined, left): refetch the couple and reconnect the socket. */
export async function afterPairingChange() {
  try { await refreshSession(); } finally { realtime.restart(); }
}

/** Views register a check here so the tab warns before unsaved words are lost. */
export const unsavedGuards = new Set();
