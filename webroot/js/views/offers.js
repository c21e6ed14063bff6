// Offers to myself, and what I asked myself to come back to (issue #14). Each has a due date and is
// done or not yet; nothing here counts, scores or keeps a streak. Sealed like all private work.
import { h, replaceChildren, fmtDate, uuid } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { CollectionStore } from '../store.js';
import { pageHeader, privacyNote, loading, formError, button, announce, field, sealedErrorNote, confirmDialog } from '../ui.js';
import { hrefOf } from '../followups.js';
import { limitText } from '../textlimit.js';

const byDue = (a, b) => (Date.parse(a.dueAt) || 0) - (Date.parse(b.dueAt) || 0) || (a.id < b.id ? -1 : 1);
const DAY = 24 * 60 * 60 * 1000;

/** yyyy-mm-dd of a local date, for <input type="date">. */
function dateValue(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function fromDateValue(v) {
  const [y, m, d] = String(v).split('-').map(Number);
  if (!y || !m || !d) return null;
  return new Date(y, m - 1, d, 9).toISOString();
}

export default {
  title: 'Offers to yourself',
  render(root) {
    const store = new CollectionStore(byDue);
    let alive = true;
    const error = formError('offers-error');
    const open = h('ul', { class: 'item-list', 'data-testid': 'offers-open' });
    const done = h('ul', { class: 'item-list', 'data-testid': 'offers-done' });
    const body = h('div', { class: 'stack' }, loading());

    // A new offer written here directly, not only from an exercise.
    const text = h('textarea', { rows: '2', 'data-testid': 'offer-text' });
    const textLimit = limitText(text, { label: 'The offer' });
    const due = h('input', { type: 'date', 'data-testid': 'offer-due', value: dateValue(new Date(Date.now() + 7 * DAY).toISOString()) });
    const addErr = formError('offer-error');
    let pendingId = uuid();
    const textField = field('What will you offer yourself?', text, { hint: 'Something small and concrete, like “ten quiet minutes with tea on Thursday”.' });
    textField.append(...textLimit.el);
    const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'offer-form', 'aria-labelledby': 'offer-form-title' },
      h('h2', { id: 'offer-form-title' }, 'A new offer to yourself'),
      textField,
      field('When would you like to look back on it?', due),
      addErr.el,
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'offer-add' }, 'Add it'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      addErr.clear();
      const dueAt = fromDateValue(due.value);
      try {
        if (!dueAt) throw Object.assign(new Error('Please choose a date.'), { field: 'dueAt' });
        const saved = await api.saveFollowup(pendingId, { type: 'offer', text: text.value, dueAt, done: false });
        pendingId = uuid();
        store.upsert(saved);
        text.value = '';
        textLimit.sync();
        announce('Added to your offers to yourself.');
      } catch (ex) {
        addErr.show(ex, { text, dueAt: due });
      }
    });

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Offers to yourself', 'What you promised to offer yourself, and what you wanted to come back to. There is no score here: done, not yet, or let go are all fine.'),
      privacyNote(),
      form,
      error.el,
      body));

    const setDone = async (f, value) => {
      error.clear();
      try {
        const saved = await api.saveFollowup(f.id, { ...f, done: value, doneAt: value ? new Date().toISOString() : null, version: f.version });
        store.upsert(saved);
        announce(value ? 'Marked as done.' : 'Marked as not yet.');
      } catch (e) {
        if (e.code === 'version_conflict' && e.current) store.upsert(e.current);
        error.show(e);
      }
    };

    const item = (f) => h('li', { class: 'card list-item followup-item', 'data-testid': 'offer-item', 'data-followup-id': f.id, 'data-type': f.type || '', 'data-done': String(Boolean(f.done)) },
      sealedErrorNote(f),
      f.sealedError ? null : [
        h('p', { class: 'offer-kind muted small' }, f.type === 'offer' ? 'An offer to yourself' : 'To come back to'),
        h('p', { class: 'offer-text', 'data-testid': 'offer-item-text' }, f.text),
        h('p', { class: 'muted small' }, f.done ? `Done${f.doneAt ? ` on ${fmtDate(f.doneAt)}` : ''}` : `Look back around ${fmtDate(f.dueAt)}`),
        h('div', { class: 'button-row' },
          f.reflectionId ? h('a', { href: hrefOf(f), class: 'btn btn-small', 'data-testid': 'offer-open' }, f.type === 'offer' ? 'Open the reflection' : 'Come back to it') : null,
          button(f.done ? 'Mark as not yet' : 'Mark as done', {
            class: 'btn-small', 'data-testid': f.done ? 'offer-undo' : 'offer-done', 'aria-label': `${f.done ? 'Mark as not yet' : 'Mark as done'}: ${f.text}`,
            onClick: () => setDone(f, !f.done),
          }),
          button('Let it go', {
            kind: 'quiet-danger', class: 'btn-small', 'data-testid': 'offer-delete', 'aria-label': `Let it go: ${f.text}`,
            onClick: async () => {
              const ok = await confirmDialog({
                title: 'Let this go?', message: 'It will be removed from all your devices.', confirmLabel: 'Remove it',
                danger: true, testid: 'confirm-delete-offer', returnFocus: root.querySelector('[data-page-title]'),
                onConfirm: async () => { try { await api.deleteFollowup(f.id); } catch (e) { if (e.status !== 404) throw e; } },
              });
              if (ok) { store.remove(f.id); announce('Removed.'); }
            },
          }))]);

    const render = () => {
      const items = store.list();
      const notYet = items.filter((f) => !f.done);
      const finished = items.filter((f) => f.done);
      replaceChildren(open, notYet.length ? notYet.map(item) : h('li', { class: 'empty', 'data-testid': 'offers-empty' }, 'Nothing waiting. That is fine too.'));
      replaceChildren(done, finished.map(item));
      replaceChildren(body,
        h('section', { 'aria-labelledby': 'offers-open-title', class: 'stack' }, h('h2', { id: 'offers-open-title' }, 'Not yet'), open),
        finished.length ? h('section', { 'aria-labelledby': 'offers-done-title', class: 'stack' }, h('h2', { id: 'offers-done-title' }, 'Done'), done) : null);
    };

    const load = () => {
      const mark = store.mark();
      return api.followups().then((data) => {
        if (!alive) return;
        store.replace(listOf(data, 'followups'), mark);
      }).catch((e) => { store.forget(mark); if (alive) { replaceChildren(body); error.show(e); } });
    };
    const unwatch = store.watch(render);
    const unsub = onEvents(['followup.saved', 'followup.deleted'], (msg) => {
      if (msg.kind === 'followup.deleted') store.remove(msg.data && msg.data.id);
      else store.upsert(msg.data);
    });
    const unresync = onResync(['self'], load);
    load();
    return () => { alive = false; unwatch(); unsub(); unresync(); };
  },
};
