// A calm first day (docs/SAFETY.md): on Home, until it is finished or skipped, a few short
// screens about the practices, what stays private, how sharing works and a first exercise.
// "Seen" is remembered per person on this device (localStorage, by user id; not private content):
// a new device shows the tour once more, and "Get help" can show it again.
import { h, replaceChildren, uuid } from '../dom.js';
import { session } from '../store.js';
import { navigate } from '../app.js';
import { button } from '../ui.js';

const KEY = 'bridgework.welcomed.';
/** The suggested first exercise: short, and the first of the four practices. */
export const FIRST_EXERCISE = 'mirror-recent-moment';

function key() {
  const user = session.state.user;
  return user ? KEY + user.id : null;
}

export function welcomeSeen() {
  const k = key();
  if (!k) return true;
  try { return localStorage.getItem(k) !== null; } catch { return false; }
}

function markSeen() {
  const k = key();
  try { if (k) localStorage.setItem(k, new Date().toISOString()); } catch { /* shown again next time */ }
}

export function resetWelcome() {
  const k = key();
  try { if (k) localStorage.removeItem(k); } catch { /* nothing to reset */ }
}

const SCREENS = [
  {
    title: 'Welcome. This is your own space first.',
    body: [
      'Bridgework starts with you, on your own. You work through short, guided exercises at your own pace, and only later, if you want to, share some of it with your partner.',
      'This tour takes a minute. You can skip it at any time.',
    ],
  },
  {
    title: 'Four practices',
    list: [
      ['Recognize the mirror', 'start from a recent moment of distance and notice what your reaction shows you.'],
      ['Turn toward your parts', 'get to know the inner voice that is loudest right now, with curiosity.'],
      ['Disconnection as information', 'find the longing underneath, and one small way to offer it to yourself.'],
      ['Decide from inner trust', 'when a choice is in front of you, hear fear and calm, then take a small step.'],
    ],
    body: ['None of this is about blaming yourself. It is about understanding yourself a little better.'],
  },
  {
    title: 'What stays private',
    body: [
      'Your reflections, parts map and check-ins are sealed in this browser with your password. Your partner cannot see them, or even tell that they exist. Neither can whoever runs this server.',
      'Nothing is shared on its own. Ever.',
    ],
  },
  {
    title: 'How sharing works',
    body: [
      'When you want to, you pick a few answers from a reflection, reword them if you like, and say how you hope they are received: “just listen”, “I’d like a response”, or “let’s take this to counseling”.',
      'Your partner sees it in your joint space and can acknowledge it. You can edit or withdraw what you shared at any time.',
    ],
  },
  {
    title: 'A gentle first step',
    body: [
      '“A recent moment of distance” takes about fifteen minutes. It saves as you go, so you can stop whenever you need to.',
      'If you ever feel unsafe, “Get help” at the top of every page is one step away.',
    ],
    last: true,
  },
];

/** The tour for Home, or null once it was seen. */
export function welcomeTour() {
  if (welcomeSeen()) return null;
  let index = 0;
  const heading = h('h2', { id: 'welcome-title', tabindex: '-1', 'data-testid': 'welcome-title' });
  const progress = h('p', { class: 'muted small welcome-progress', 'data-testid': 'welcome-progress' });
  const body = h('div', { class: 'welcome-body' });
  const controls = h('div', { class: 'button-row welcome-controls' });
  const el = h('section', { class: 'card welcome', 'aria-labelledby': 'welcome-title', 'data-testid': 'welcome' },
    progress, heading, body, controls);

  const finish = (focusTitle = true) => {
    markSeen();
    el.remove();
    if (focusTitle) {
      const title = document.querySelector('[data-page-title]');
      if (title) title.focus();
    }
  };
  const show = (focus) => {
    const screen = SCREENS[index];
    progress.textContent = `${index + 1} of ${SCREENS.length}`;
    heading.textContent = screen.title;
    replaceChildren(body,
      screen.list ? h('ul', { class: 'plain-list' }, screen.list.map(([name, text]) => h('li', null, h('strong', null, name), ': ', text))) : null,
      screen.body.map((p) => h('p', null, p)));
    replaceChildren(controls,
      index > 0 ? button('Back', { 'data-action': 'welcome-back', 'data-testid': 'welcome-back', onClick: () => { index -= 1; show(true); } }) : null,
      screen.last
        ? [button('Begin this exercise', {
          kind: 'primary', 'data-action': 'welcome-begin', 'data-testid': 'welcome-begin',
          onClick: () => { finish(false); navigate(`#/run/${FIRST_EXERCISE}/${uuid()}`); },
        }), button('Not now', { 'data-action': 'welcome-done', 'data-testid': 'welcome-done', onClick: () => finish() })]
        : button('Next', { kind: 'primary', 'data-action': 'welcome-next', 'data-testid': 'welcome-next', onClick: () => { index += 1; show(true); } }),
      screen.last ? null : button('Skip the tour', { class: 'btn-link', 'data-action': 'welcome-skip', 'data-testid': 'welcome-skip', onClick: () => finish() }));
    if (focus) heading.focus();
  };
  show(false);
  return el;
}
