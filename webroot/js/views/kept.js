// Kept words: what a person keeps, privately, when a joint space ends (their own shares and
// review notes). Sealed like the rest of their private work; they can read and delete it.
import { h, replaceChildren, fmtDate, fmtDateTime } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { CollectionStore, INTENTS, catalog } from '../store.js';
import { pageHeader, privacyNote, loading, formError, button, confirmDialog, announce, sealedErrorNote } from '../ui.js';

function keptBody(k) {
  if (k.sealedError) return [sealedErrorNote(k)];
  if (k.source === 'review') {
    return [
      h('h2', { class: 'item-title' }, `Your notes from a joint review${k.reviewCreatedAt ? ` on ${fmtDate(k.reviewCreatedAt)}` : ''}`),
      h('ul', { class: 'plain-list' }, (k.notes || []).map((n) => h('li', { 'data-testid': 'kept-note' },
        n.shareTitle ? h('p', { class: 'muted small' }, `On “${n.shareTitle}”`) : null,
        h('p', { class: 'kept-excerpt' }, n.text || '')))),
    ];
  }
  const prompts = catalog.promptsFor((k.excerpts || []).map((x) => x.stepId));
  return [
    h('h2', { class: 'item-title', 'data-testid': 'kept-title' }, k.title || 'Something you shared'),
    k.sharedAt ? h('p', { class: 'muted small' }, `Shared ${fmtDateTime(k.sharedAt)}${k.partnerName ? ` with ${k.partnerName}` : ''}`) : null,
    k.intent && INTENTS[k.intent] ? h('p', { class: 'muted small' }, INTENTS[k.intent]) : null,
    (k.excerpts || []).map((x) => h('blockquote', { class: 'kept-excerpt', 'data-testid': 'kept-excerpt' },
      prompts.get(x.stepId) ? h('p', { class: 'muted small' }, prompts.get(x.stepId)) : null,
      h('p', null, x.text || ''))),
    k.note ? h('p', { 'data-testid': 'kept-note' }, h('span', { class: 'muted' }, 'Your note: '), k.note) : null,
  ];
}

export default {
  title: 'Kept words',
  render(root) {
    const store = new CollectionStore();
    const list = h('ul', { class: 'item-list', 'data-testid': 'kept-list' });
    const empty = h('p', { class: 'empty', 'data-testid': 'kept-empty', hidden: true },
      'Nothing here. When a joint space ends, what you shared and your notes from joint reviews are kept here for you.');
    const error = formError('kept-error');
    const body = h('div', { class: 'stack' }, loading());
    let alive = true;
    let loaded = false;

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Kept words', 'When a joint space ends, your own shares and notes stay with you here, privately.'),
      privacyNote(),
      error.el,
      body));

    const item = (k) => h('li', { class: 'card list-item', 'data-testid': 'kept-item', 'data-kept-id': k.id },
      keptBody(k),
      h('div', { class: 'button-row' }, button('Delete', {
        kind: 'quiet-danger',
        'data-action': 'delete',
        'data-testid': 'kept-delete',
        'aria-label': `Delete “${k.title || 'these kept words'}”`,
        onClick: async () => {
          const ok = await confirmDialog({
            title: 'Delete these kept words?',
            message: 'They will be gone from all your devices. This cannot be undone.',
            confirmLabel: 'Delete',
            danger: true,
            testid: 'confirm-delete-kept',
            returnFocus: root.querySelector('[data-page-title]'),
            onConfirm: async () => {
              try { await api.deleteKept(k.id); } catch (e) { if (e.status !== 404) throw e; }
            },
          });
          if (ok) { store.remove(k.id); announce('Deleted.'); }
        },
      })));

    const render = () => {
      if (!loaded) return;
      if (!body.contains(list)) replaceChildren(body, empty, list);
      const items = store.list();
      empty.hidden = items.length > 0;
      replaceChildren(list, items.map(item));
    };

    const load = async () => {
      error.clear();
      const mark = store.mark();
      try {
        const data = await api.kept();
        if (!alive) return;
        store.replace(listOf(data, 'kept'), mark);
        loaded = true;
        render();
      } catch (e) {
        store.forget(mark);
        if (alive) error.show(e);
      }
    };

    const unwatch = store.watch(render);
    const unsub = onEvents(['kept.saved', 'kept.deleted'], (msg) => {
      const data = msg.data || {};
      if (msg.kind === 'kept.deleted') store.remove(data.id);
      else store.upsert(data);
    });
    const unresync = onResync(['self'], load);
    catalog.load().then(() => { if (alive) render(); }).catch(() => {});
    load();
    return () => { alive = false; unwatch(); unsub(); unresync(); };
  },
};
