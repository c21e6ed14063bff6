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

const securing = { running: null, again: false };
/** Seals legacy work and kept words (docs/ENCRYPTION.md) with a short progress line; an interruption just runs again next time. */
export function secureIfNeeded(force = false) {
  if (!vault.isUnlocked || (!force && !session.state.unsealed)) return securing.running || Promise.resolve();
  // Asked again while a run is under way (more was just handed over): run once more after it.
  if (securing.running) { securing.again = true; return securing.running; }
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
  }).finally(() => {
    securing.running = null;
    if (securing.again) { securing.again = false; secureIfNeeded(true); }
  });
  return securing.running;
}

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * After `couple.dissolved` (docs/ENCRYPTION.md). The server sends the event first and only then
 * keeps each partner's words and records who left, so an immediate GET /api/me may not show
 * either yet. The partner who stays is told at once from the event itself; then the session is
 * refreshed, a few times if need be, until the server has finished, and what is kept gets sealed.
 */
export async function afterDissolved(data) {
  const me = session.state.user;
  const by = data && data.by;
  const stayed = Boolean(me && by && by.id && by.id !== me.id);
  const told = stayed ? { partnerName: by.displayName, reason: data.reason || 'left', at: data.at } : null;
  if (told) session.set({ ending: told });
  for (const wait of [0, 300, 600, 1200, 2400, 4800]) {
    if (wait) await pause(wait);
    if (!session.state.user) return;
    let fresh;
    try { fresh = await refreshSession(); } catch { return; }
    const serverDone = stayed ? Boolean(fresh && fresh.ending) : Boolean(fresh && fresh.unsealed);
    // Until the server has recorded it, keep the notice the event gave.
    if (told && !(fresh && fresh.ending) && !session.state.couple) session.set({ ending: told });
    if (serverDone) break;
  }
  await secureIfNeeded(true);
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
  // Leaving hands this person their own words to keep: seal them now.
  secureIfNeeded();
}

/** Views register a check here so the tab warns before unsaved words are lost. */
export const unsavedGuards = new Set();
