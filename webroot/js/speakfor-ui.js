// The "speak for your parts" panel: an optional step beside a text a person is about to share.
// It shows each hint from speakfor.js with the phrase it noticed and WHY it appears, and offers
// "a part of me…" framings to insert. It only offers: nothing here stops anyone from sending.
import { h, replaceChildren, uid, debounce } from './dom.js';
import { hintsFor, FRAMINGS } from './speakfor.js';
import { button } from './ui.js';

/** Inserts text at the cursor of a textarea (or at its end) and tells listeners it changed. */
function insertInto(box, text) {
  const start = typeof box.selectionStart === 'number' ? box.selectionStart : box.value.length;
  const end = typeof box.selectionEnd === 'number' ? box.selectionEnd : box.value.length;
  const before = box.value.slice(0, start);
  const spacer = before && !/\s$/.test(before) ? ' ' : '';
  box.value = before + spacer + text + box.value.slice(end);
  const at = (before + spacer + text).length;
  box.focus();
  box.setSelectionRange(at, at);
  box.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * @param boxes a function answering the textareas to look at (they may change as the form does)
 */
export function speakForPanel(boxes) {
  const listId = uid('speakfor');
  const list = h('div', { id: listId, class: 'speakfor-hints stack', 'aria-live': 'polite' });
  let lastBox = null;
  const target = () => lastBox || boxes().find((b) => !b.closest('[hidden]')) || boxes()[0];
  const framings = h('div', { class: 'speakfor-framings', role: 'group', 'aria-label': 'Framings to try' },
    FRAMINGS.map((f) => button(f.trim() + '…', {
      class: 'chip-btn', 'data-testid': 'speakfor-framing', onClick: () => { const b = target(); if (b) insertInto(b, f); },
    })));
  const bodyId = uid('speakfor-body');
  const body = h('div', { id: bodyId, class: 'speakfor-body stack', hidden: true, 'data-testid': 'speakfor-body' },
    h('p', { class: 'hint' }, 'These are gentle pointers from a small set of rules that run on this device. They look for phrasing that often lands as blame. You decide what to keep: nothing here stops you from sending.'),
    list,
    h('p', { class: 'small' }, 'Speaking for a part leaves room for the rest of you, and for your partner:'),
    framings);
  const toggle = h('button', {
    type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': bodyId, 'data-testid': 'speakfor-toggle',
  }, 'Help me speak for my parts');

  const render = () => {
    if (body.hidden) return;
    const found = [];
    for (const box of boxes()) {
      if (box.closest('[hidden]')) continue;
      for (const hint of hintsFor(box.value)) found.push({ ...hint, box });
    }
    if (!found.length) {
      replaceChildren(list, h('p', { class: 'muted', 'data-testid': 'speakfor-clear' },
        'Nothing here tends to land as blame. It reads as yours.'));
      return;
    }
    replaceChildren(list, h('ul', { class: 'plain-list stack' }, found.map(({ rule, match, box }) => h('li', {
      class: 'speakfor-hint card', 'data-testid': 'speakfor-hint', 'data-rule': rule.id,
    },
    h('p', null, h('strong', null, rule.label), ': “', h('span', { 'data-testid': 'speakfor-match' }, match), '”'),
    h('p', { 'data-testid': 'speakfor-why' }, h('span', { class: 'note-label' }, 'Why this hint: '), rule.why),
    h('p', null, 'You might try: ', h('em', null, rule.try)),
    button('Add this framing', { class: 'chip-btn', 'data-testid': 'speakfor-try', onClick: () => insertInto(box, rule.try.replace(/…|\.\.\./g, '').trim() + ' ') })))));
  };
  const later = debounce(render, 250);
  toggle.addEventListener('click', () => {
    body.hidden = !body.hidden;
    toggle.setAttribute('aria-expanded', String(!body.hidden));
    toggle.textContent = body.hidden ? 'Help me speak for my parts' : 'Hide the wording help';
    render();
  });
  const panel = h('section', { class: 'speakfor card', 'data-testid': 'speakfor-panel', 'aria-label': 'Speak for your parts' }, toggle, body);
  // Listen on the form around it: the boxes may be added or shown after the panel is built.
  queueMicrotask(() => {
    const scope = panel.parentElement || document;
    scope.addEventListener('input', (e) => { if (e.target.tagName === 'TEXTAREA') { lastBox = e.target; later(); } });
    scope.addEventListener('focusin', (e) => { if (e.target.tagName === 'TEXTAREA') lastBox = e.target; });
    scope.addEventListener('change', () => later());
  });
  return panel;
}
