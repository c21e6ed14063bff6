// Shared pieces of UI: fields with labels, error boxes, dialogs, chips.
import { h, uid, replaceChildren } from './dom.js';
import { session } from './store.js';
import { api } from './api.js';
import { SEALED_ERROR_MESSAGE, PENDING_MESSAGE } from './private.js';

/** The page's main heading; focus lands here after navigation. */
export function pageHeader(title, ...lead) {
  return h('header', { class: 'page-header' },
    h('h1', { tabindex: '-1', 'data-testid': 'page-title', 'data-page-title': '' }, title),
    lead.length ? h('p', { class: 'lead' }, ...lead) : null);
}

export function privacyNote(text = 'Only you can see this.') {
  return h('p', { class: 'privacy-note', 'data-testid': 'privacy-note' },
    h('span', { class: 'privacy-dot', 'aria-hidden': 'true' }), text);
}

/** For an item whose envelope did not open (private.js sets `sealedError`): a plain message, never garbage. */
export function sealedErrorNote(item) {
  if (!item || !item.sealedError) return null;
  const text = item.sealedError === 'pending' ? PENDING_MESSAGE
    : item.sealedError === 'locked' ? 'Your private space is locked. Unlock it to see this entry.'
      : SEALED_ERROR_MESSAGE;
  return h('p', { class: 'sealed-error', 'data-testid': 'sealed-error', 'data-reason': item.sealedError }, text);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status', 'data-testid': 'loading' }, text);
}

/** A label, an optional hint and the control, wired with for/aria-describedby. */
export function field(label, control, opts = {}) {
  if (!control.id) control.id = uid('f');
  const hintId = `${control.id}-hint`;
  let hint = null;
  if (opts.hint) {
    hint = h('p', { class: 'hint', id: hintId }, opts.hint);
    const prev = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', prev ? `${prev} ${hintId}` : hintId);
  }
  return h('div', { class: ['field', opts.class] },
    h('label', { for: control.id }, label, opts.optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    hint, control);
}

/** An error box near a form; shows the contract's message and marks the named field. */
export function formError(testid = 'form-error') {
  const el = h('div', { class: 'form-error', role: 'alert', 'data-testid': testid, hidden: true });
  let marked = [];
  return {
    el,
    show(err, fields = {}) {
      this.clear();
      const message = typeof err === 'string' ? err : (err && err.message) || 'Something went wrong. Please try again.';
      replaceChildren(el, message);
      el.hidden = false;
      const input = err && err.field ? fields[err.field] : null;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        const prev = input.getAttribute('aria-describedby') || '';
        if (!el.id) el.id = uid('err');
        if (!prev.includes(el.id)) input.setAttribute('aria-describedby', `${prev} ${el.id}`.trim());
        marked.push(input);
      }
    },
    clear() {
      el.hidden = true;
      replaceChildren(el);
      for (const input of marked) input.removeAttribute('aria-invalid');
      marked = [];
    },
  };
}

export function announce(text) {
  const region = document.querySelector('[data-announcer]');
  if (!region) return;
  region.textContent = '';
  // A fresh text node in a later task makes screen readers read it again.
  setTimeout(() => { region.textContent = text; }, 50);
}

export function button(label, attrs = {}) {
  const { kind, class: extra, ...rest } = attrs;
  return h('button', { type: 'button', class: ['btn', kind ? `btn-${kind}` : null, extra], ...rest }, label);
}

const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });

/**
 * After a partner left the joint space or deleted their account (GET /api/me `ending`): a gentle
 * notice with a way to Kept words, until dismissed. Null when there is nothing to say.
 */
export function endingNotice() {
  const ending = session.state.ending;
  if (!ending || session.state.couple) return null;
  const name = ending.partnerName || 'Your partner';
  const when = ending.at && !Number.isNaN(Date.parse(ending.at)) ? ` on ${dayFmt.format(new Date(ending.at))}` : '';
  const what = ending.reason === 'deleted' ? `${name} closed their account${when}, which ended your joint space.` : `${name} left the joint space${when}.`;
  const error = formError('ending-error');
  const dismiss = button('Dismiss', {
    'data-action': 'dismiss-ending',
    'data-testid': 'ending-dismiss',
    onClick: async () => {
      error.clear();
      dismiss.disabled = true;
      try {
        await api.dismissEnding();
        session.set({ ending: null });
      } catch (e) {
        if (e.status === 404) session.set({ ending: null });
        else error.show(e);
      } finally {
        dismiss.disabled = false;
      }
    },
  });
  return h('section', { class: 'card notice ending-notice', 'data-testid': 'ending-notice', 'aria-labelledby': 'ending-title' },
    h('h2', { id: 'ending-title' }, 'Your joint space has ended'),
    h('p', null, what, ' Your own shares and notes are kept for you, privately, under ', h('a', { href: '#/kept', 'data-testid': 'ending-kept' }, 'Kept words'), '.'),
    error.el,
    h('div', { class: 'button-row' }, dismiss));
}

/**
 * Shown on joint-space pages when there is no couple. After a partner left, the ending notice
 * stands alone with a gentle way forward instead of "not paired yet" (docs/SAFETY.md "Endings").
 */
export function notPairedPanel(what = 'your joint space') {
  const ending = endingNotice();
  if (ending) {
    return [ending, h('section', { class: 'card', 'data-testid': 'after-ending' },
      h('p', null, 'Your private space is still here, just as it was. If you ever want a joint space again, you can set one up from the ',
        h('a', { href: '#/couple' }, 'Your partner'), ' page.'))];
  }
  return [h('section', { class: 'card notice', 'data-testid': 'not-paired' },
    h('h2', null, 'You are not paired yet'),
    h('p', null, `Once you and your partner have set up a joint space, ${what} will be here. Your private space works fully on its own in the meantime.`),
    h('p', null, h('a', { href: '#/couple', class: 'btn btn-primary' }, 'Set up your joint space')))];
}

/**
 * A page that only exists for a couple: the not-paired panel until there is one, a fresh view
 * from {@code create(container, coupleId)} for each couple, and {@code view.refresh()} when the
 * session changes otherwise (a partner renamed, say). Answers the page's clean-up function.
 */
export function couplePage(root, { title, intro, notPairedWhat, create }) {
  const body = h('div', { class: 'stack' });
  root.appendChild(h('div', { class: 'stack' }, pageHeader(title, intro), body));
  let view = null;
  const show = () => {
    const c = session.state.couple;
    if (!c) {
      if (view) { view.destroy(); view = null; }
      replaceChildren(body, notPairedPanel(notPairedWhat));
    } else if (!view || view.coupleId !== c.id) {
      if (view) view.destroy();
      view = create(body, c.id);
    } else {
      view.refresh();
    }
  };
  show();
  const unwatch = session.watch(show);
  return () => { unwatch(); if (view) view.destroy(); };
}

/**
 * An accessible modal dialog. Resolves with the onConfirm result (true by
 * default) or false when cancelled. onConfirm may throw: its message is shown
 * inside the dialog and the dialog stays open.
 */
export function confirmDialog(opts) {
  return new Promise((resolve) => {
    const previous = document.activeElement;
    const titleId = uid('dlg');
    const descId = uid('dlg-desc');
    const error = formError('dialog-error');
    const message = opts.message === undefined ? [] : [].concat(opts.message)
      .map((m) => (typeof m === 'string' ? h('p', null, m) : m));
    const cancel = button(opts.cancelLabel || 'Cancel', { 'data-action': 'cancel', 'data-testid': 'dialog-cancel' });
    const confirm = h('button', {
      type: 'submit',
      class: ['btn', opts.danger ? 'btn-danger' : 'btn-primary'],
      'data-action': 'confirm',
      'data-testid': 'dialog-confirm',
    }, opts.confirmLabel || 'OK');
    const form = h('form', { class: 'dialog-form', novalidate: true },
      h('h2', { id: titleId }, opts.title),
      h('div', { id: descId, class: 'dialog-message' }, message),
      opts.fields || null,
      error.el,
      h('div', { class: 'dialog-actions' }, cancel, confirm));
    const dlg = h('dialog', {
      class: ['dialog', opts.danger ? 'dialog-danger' : null],
      'aria-labelledby': titleId,
      'aria-describedby': descId,
      'data-testid': opts.testid || 'dialog',
    }, form);

    let busy = false;
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      try { dlg.close(); } catch { /* not open */ }
      dlg.remove();
      const back = previous && previous.isConnected ? previous : (opts.returnFocus || document.querySelector('[data-page-title]'));
      if (back && typeof back.focus === 'function') back.focus();
      resolve(result);
    };
    cancel.addEventListener('click', () => { if (!busy) finish(false); });
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); if (!busy) finish(false); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (busy) return;
      error.clear();
      if (opts.validate) {
        const problem = opts.validate();
        if (problem) { error.show(problem); return; }
      }
      busy = true;
      confirm.disabled = true;
      try {
        const result = opts.onConfirm ? await opts.onConfirm() : true;
        // A 204 answers null: anything but an explicit false counts as done.
        finish(result === undefined || result === null ? true : result);
      } catch (err) {
        error.show(err, opts.errorFields || {});
      } finally {
        busy = false;
        confirm.disabled = false;
      }
    });

    document.body.appendChild(dlg);
    dlg.showModal();
    const first = opts.initialFocus || (opts.fields ? form.querySelector('input, textarea, select') : null) || (opts.danger ? cancel : confirm);
    first.focus();
  });
}

/**
 * Toggle chips for feelings plus free entry. Returns {el, value(), set(list)}.
 */
export function emotionPicker({ label, options = [], selected = [], onChange, testid = 'emotions', hint }) {
  let chosen = [...new Set(selected.filter((x) => typeof x === 'string' && x.trim()))];
  const labelId = uid('emo');
  const chips = h('div', { class: 'chips', role: 'group', 'aria-labelledby': labelId, 'data-testid': testid });
  // The server accepts up to 30 feelings of 1–50 characters each.
  const MAX = 30;
  const entry = h('input', { type: 'text', maxlength: '50', autocomplete: 'off', 'data-testid': `${testid}-other` });
  const add = button('Add', { 'data-action': 'add-emotion', 'data-testid': `${testid}-add` });

  const known = () => [...options, ...chosen.filter((x) => !options.includes(x))];
  const render = () => {
    const active = document.activeElement;
    const focused = active && chips.contains(active) ? active.getAttribute('data-emotion') : null;
    replaceChildren(chips, known().map((name) => h('button', {
      type: 'button',
      class: 'chip',
      'aria-pressed': chosen.includes(name) ? 'true' : 'false',
      'data-emotion': name,
      'data-testid': 'emotion-chip',
      onClick: () => {
        if (!chosen.includes(name) && chosen.length >= MAX) { announce(`You can choose up to ${MAX} feelings.`); return; }
        chosen = chosen.includes(name) ? chosen.filter((x) => x !== name) : [...chosen, name];
        render();
        if (onChange) onChange([...chosen]);
      },
    }, name)));
    if (focused) {
      const again = [...chips.querySelectorAll('[data-emotion]')].find((b) => b.getAttribute('data-emotion') === focused);
      if (again) again.focus();
    }
  };
  const addEntry = () => {
    const name = entry.value.trim().toLowerCase();
    if (!name) return;
    if (!chosen.includes(name) && chosen.length >= MAX) { announce(`You can choose up to ${MAX} feelings.`); return; }
    if (!chosen.includes(name)) chosen = [...chosen, name];
    entry.value = '';
    render();
    if (onChange) onChange([...chosen]);
    entry.focus();
  };
  add.addEventListener('click', addEntry);
  entry.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); addEntry(); }
  });
  render();
  const entryId = uid('emo-other');
  entry.id = entryId;
  const el = h('div', { class: 'emotion-picker' },
    h('p', { id: labelId, class: 'group-label' }, label),
    hint ? h('p', { class: 'hint' }, hint) : null,
    chips,
    h('div', { class: 'inline-add' },
      h('label', { for: entryId }, 'Another feeling'),
      h('div', { class: 'inline-row' }, entry, add)));
  return {
    el,
    value: () => [...chosen],
    set(list) { chosen = [...new Set((list || []).filter((x) => typeof x === 'string'))]; render(); },
  };
}
