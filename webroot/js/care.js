// Care and safety on every screen (docs/SAFETY.md): the quick exit (a button and Escape twice),
// the theme switch, and the optional auto-lock after idle time. Preferences here are per device
// and never private: the theme, the auto-lock minutes, whether the welcome tour was seen.
import { vault } from './vault.js';
import { unsavedGuards } from './app.js';

/** The neutral page the quick exit goes to; it says nothing about Bridgework. */
export const NEUTRAL_URL = '/away.html';
/** Set in this tab's sessionStorage by a quick exit: going Back to Bridgework bounces to the neutral page. */
const AWAY = 'bridgework.away';
const THEME = 'bridgework.theme';
const AUTO_LOCK = 'bridgework.autoLockMinutes';
const ESCAPE_WINDOW_MS = 800;
export const AUTO_LOCK_CHOICES = [0, 5, 15, 30, 60];

function read(storage, key) {
  try { return storage.getItem(key); } catch { return null; }
}
function write(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch { /* storage unavailable: the preference lasts for this page only */ }
}

/**
 * Leaves at once: the vault locks here and in this browser's other tabs (its session blob goes
 * too, so a reload does not come back unlocked), the page is emptied, and the neutral page
 * replaces this history entry. Earlier Bridgework entries bounce to it (see {@link bounceIfAway}).
 */
export function quickExit() {
  // No "Leave site?" prompt may stand in the way: words typed in the last second or two before
  // the autosave are given up for an exit that never waits (docs/SAFETY.md).
  unsavedGuards.clear();
  try { vault.lock(); } catch { /* leave anyway */ }
  try { sessionStorage.clear(); } catch { /* unavailable */ }
  write(sessionStorage, AWAY, String(Date.now()));
  document.title = '';
  document.body.replaceChildren();
  location.replace(NEUTRAL_URL);
}

/**
 * Called first thing at start-up and when the page is shown from the back/forward cache: after a
 * quick exit in this tab, a Back (or Forward) to Bridgework goes straight to the neutral page
 * again. A fresh visit (typed, a bookmark, a reload) clears the mark and starts normally.
 */
export function bounceIfAway(persisted = false) {
  if (!read(sessionStorage, AWAY)) return false;
  const nav = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
  if (persisted || (nav && nav.type === 'back_forward')) {
    document.body.replaceChildren();
    location.replace(NEUTRAL_URL);
    return true;
  }
  write(sessionStorage, AWAY, null);
  return false;
}

// ------------------------------------------------------------------ theme

export function themeChoice() {
  const v = read(localStorage, THEME);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function applyTheme() {
  const choice = themeChoice();
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
  const btn = document.querySelector('[data-action="theme"]');
  if (btn) {
    btn.textContent = `Theme: ${choice}`;
    btn.setAttribute('aria-label', `Theme: ${choice === 'system' ? 'follows your device' : choice}. Change theme`);
    btn.setAttribute('data-theme-choice', choice);
  }
}

/** System → dark → light → system. */
export function nextTheme() {
  const order = ['system', 'dark', 'light'];
  const next = order[(order.indexOf(themeChoice()) + 1) % order.length];
  write(localStorage, THEME, next === 'system' ? null : next);
  applyTheme();
  return next;
}

// ------------------------------------------------------------------ auto-lock

export function autoLockMinutes() {
  const n = Number(read(localStorage, AUTO_LOCK));
  return AUTO_LOCK_CHOICES.includes(n) ? n : 0;
}

let idleTimer = null;
let lastReset = 0;
function armIdle() {
  clearTimeout(idleTimer);
  idleTimer = null;
  const minutes = autoLockMinutes();
  if (!minutes || !vault.isUnlocked) return;
  idleTimer = setTimeout(() => { if (vault.isUnlocked) vault.lock(); }, minutes * 60_000);
}

export function setAutoLockMinutes(minutes) {
  write(localStorage, AUTO_LOCK, minutes ? String(minutes) : null);
  armIdle();
}

// ------------------------------------------------------------------ wiring

/** Wires the care bar, the Escape-twice shortcut, the theme and the idle timer. Call once. */
export function wireCare() {
  applyTheme();
  const exit = document.querySelector('[data-action="quick-exit"]');
  if (exit) exit.addEventListener('click', quickExit);
  const theme = document.querySelector('[data-action="theme"]');
  if (theme) theme.addEventListener('click', () => nextTheme());
  let lastEscape = 0;
  // Capture phase: a dialog or the menu that closes on the first Escape must not swallow the count.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.repeat) return;
    const now = Date.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) { quickExit(); return; }
    lastEscape = now;
  }, true);
  window.addEventListener('pageshow', (e) => { if (e.persisted) bounceIfAway(true); });
  window.addEventListener('storage', (e) => { if (e.key === THEME) applyTheme(); if (e.key === AUTO_LOCK) armIdle(); });
  for (const type of ['pointerdown', 'keydown', 'scroll', 'input']) {
    window.addEventListener(type, () => {
      const now = Date.now();
      if (now - lastReset > 5000) { lastReset = now; armIdle(); }
    }, { capture: true, passive: true });
  }
  vault.addEventListener('change', armIdle);
  armIdle();
}
