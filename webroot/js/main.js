// Boots the app: session, realtime connection, header chrome and the hash router.
import { h, replaceChildren } from './dom.js';
import { apiEvents } from './api.js';
import { realtime } from './realtime.js';
import { session, refreshSession } from './store.js';
import { navigate, setRouter, endSession, unsavedGuards, lockNow, secureIfNeeded, afterDissolved } from './app.js';
import { announce } from './ui.js';
import { vault } from './vault.js';
import { requireSecureContext } from './secure.js';
import { unread } from './notify.js';
import { signin, signup, forgot } from './views/auth.js';
import unlock from './views/unlock.js';
import kept from './views/kept.js';
import home from './views/home.js';
import exercises from './views/exercises.js';
import runner from './views/runner.js';
import reflections from './views/reflections.js';
import parts from './views/parts.js';
import checkins from './views/checkins.js';
import couple from './views/couple.js';
import joint from './views/joint.js';
import share from './views/share.js';
import review from './views/review.js';
import account from './views/account.js';
import offers from './views/offers.js';
import prompts from './views/prompts.js';
import held from './views/held.js';
import help from './views/help.js';
import { wireCare, bounceIfAway } from './care.js';

const ROUTES = {
  signin, signup, forgot, home, exercises, run: runner, reflections, parts, checkins, kept,
  couple, joint, share, review, account, prompts, held, offers,
  help,
};
// Which nav entry is "current" for routes that are not in the nav themselves.
const NAV_FOR = { run: 'exercises', share: 'joint', offers: 'home' };
// Public pages a signed-in but locked person may still use.
const WHILE_LOCKED = new Set(['forgot']);

const main = document.querySelector('[data-view="main"]');
const nav = document.querySelector('[data-testid="nav"]');
const navToggle = document.querySelector('[data-action="toggle-nav"]');
const connection = document.querySelector('[data-testid="connection-state"]');
const connectionLabel = document.querySelector('[data-connection-label]');
const lockButton = document.querySelector('[data-action="lock-now"]');

let current = null;
let firstRoute = true;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const parts = raw.split('/').filter((p) => p !== '');
  try {
    return { name: parts[0] || '', params: parts.slice(1).map(decodeURIComponent) };
  } catch {
    return { name: parts[0] || '', params: [] };
  }
}

function teardown() {
  if (current && typeof current.cleanup === 'function') {
    try { current.cleanup(); } catch (e) { console.error(e); }
  }
  current = null;
}

function route() {
  const { name, params } = parseHash();
  const signedIn = Boolean(session.state.user);
  const locked = signedIn && !vault.isUnlocked;
  let view = ROUTES[name];
  if (!view) { navigate(signedIn ? '#/home' : '#/signin', true); return; }
  if (!view.public && !signedIn) { navigate('#/signin', true); return; }
  // view.always: a page for everyone, signed in, locked or not (Get help).
  if (view.public && !view.always && signedIn && !(locked && WHILE_LOCKED.has(name))) {
    if (!locked) { navigate('#/home', true); return; }
    view = unlock;
  }
  // Signed in but locked: the unlock screen stands in for the page, which shows once unlocked.
  if (locked && !view.public) view = unlock;

  teardown();
  // A dialog belongs to the view it was opened from.
  for (const dlg of document.querySelectorAll('dialog')) { dlg.close(); dlg.remove(); }
  replaceChildren(main);
  main.setAttribute('data-route', view === unlock ? 'unlock' : name);
  document.title = `${view.title} · Bridgework`;
  setNavOpen(false);
  markCurrentNav(NAV_FOR[name] || name);
  let cleanup;
  try {
    cleanup = view.render(main, params);
  } catch (e) {
    console.error(e);
    main.appendChild(h('p', { class: 'form-error', role: 'alert' }, 'This page could not be shown. Please try again.'));
  }
  current = { name, cleanup };
  if (signedIn) unread.routed(name); else unread.reset();
  if (!firstRoute) {
    window.scrollTo(0, 0);
    const heading = main.querySelector('[data-page-title]');
    (heading || main).focus({ preventScroll: true });
  }
  firstRoute = false;
}

function markCurrentNav(name) {
  for (const a of nav.querySelectorAll('[data-nav]')) {
    if (a.getAttribute('data-nav') === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function setNavOpen(open) {
  navToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  document.body.classList.toggle('nav-open', open);
}

function updateChrome() {
  const signedIn = Boolean(session.state.user);
  const open = signedIn && vault.isUnlocked;
  nav.hidden = !open;
  navToggle.hidden = !open;
  connection.hidden = !open;
  lockButton.hidden = !open;
}

function updateConnection() {
  connection.setAttribute('data-state', realtime.state);
  connectionLabel.textContent = realtime.label;
}

function wire() {
  wireCare();
  setRouter(route);
  window.addEventListener('hashchange', route);
  navToggle.addEventListener('click', () => setNavOpen(navToggle.getAttribute('aria-expanded') !== 'true'));
  // The skip link must not touch location.hash: that is the router's.
  document.querySelector('[data-action="skip"]').addEventListener('click', (e) => {
    e.preventDefault();
    (main.querySelector('[data-page-title]') || main).focus();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
      setNavOpen(false);
      navToggle.focus();
    }
  });
  session.watch(updateChrome);
  lockButton.addEventListener('click', () => lockNow());
  vault.addEventListener('change', () => {
    updateChrome();
    // Locked here or in another tab of this browser: nothing private stays on screen.
    if (!vault.isUnlocked && session.state.user) {
      realtime.stop();
      for (const dlg of document.querySelectorAll('dialog')) { dlg.close(); dlg.remove(); }
      route();
      announce('Your private space is locked.');
    }
  });
  realtime.addEventListener('state', updateConnection);
  window.addEventListener('online', updateConnection);
  window.addEventListener('offline', updateConnection);

  apiEvents.addEventListener('unauthenticated', () => {
    if (session.state.user) endSession('Your session has ended. Please sign in again.');
  });
  realtime.addEventListener('sessionended', () => {
    if (session.state.user) endSession('Your session has ended. Please sign in again.');
  });
  realtime.addEventListener('presence', (e) => {
    const { userId, online } = e.detail;
    const user = session.state.user;
    if (userId && user && userId === user.id) return;
    session.set({ partnerOnline: Boolean(online) });
  });
  realtime.addEventListener('event', (e) => {
    const msg = e.detail;
    if (msg.kind === 'couple.joined') {
      refreshSession().then(() => announce('Your partner joined your joint space.')).catch(() => {});
    } else if (msg.kind === 'couple.dissolved') {
      session.set({ couple: null, partnerOnline: false });
      announce('The joint space was closed.');
      // Who left, and what each partner keeps (unsealed until sealed here): docs/ENCRYPTION.md.
      afterDissolved(msg.data).catch(() => {});
    }
  });
  realtime.addEventListener('resync', (e) => {
    if (e.detail.stream === 'couple') refreshSession().catch(() => {});
  });
  window.addEventListener('beforeunload', (e) => {
    for (const guard of unsavedGuards) {
      if (guard()) { e.preventDefault(); e.returnValue = ''; return; }
    }
  });
}

async function boot() {
  // Back to Bridgework after a quick exit: straight to the neutral page again (care.js).
  if (bounceIfAway()) return;
  if (!requireSecureContext(main)) return;
  wire();
  updateConnection();
  try {
    await refreshSession();
  } catch (e) {
    if (e.status !== 401) {
      replaceChildren(main, h('section', { class: 'card notice', role: 'alert', 'data-testid': 'boot-error' },
        h('h1', { tabindex: '-1', 'data-page-title': '' }, 'We can’t reach Bridgework right now'),
        h('p', null, 'Please check your connection. Nothing you wrote before is lost.'),
        h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'retry', onClick: () => location.reload() }, 'Try again')));
      return;
    }
  }
  if (session.state.user) {
    // A reload of an open tab, or a second tab: unlock from the session-sealed key if there is one.
    await vault.restore().catch(() => false);
  }
  updateChrome();
  if (session.state.user && vault.isUnlocked) {
    realtime.start();
    secureIfNeeded();
  }
  route();
}

boot();
