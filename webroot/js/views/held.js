// Held for later (#/held): shares a person chose to hold until they felt calmer, and drafts of
// answers to couple prompts. All sealed in this browser (holding.js); the partner sees none of it.
import { h, replaceChildren, fmtDateTime } from '../dom.js';
import { api } from '../api.js';
import { session, partnerName } from '../store.js';
import { onEvents } from '../realtime.js';
import { navigate } from '../app.js';
import { heldItems, deleteHeld } from '../holding.js';
import { keepHolding } from '../heldremind.js';
import { staticShareCard } from '../sharecard.js';
import { pageHeader, privacyNote, loading, formError, button, announce } from '../ui.js';

export default {
  title: 'Held for later',
  render(root) {
    const list = h('div', { class: 'stack', 'data-testid': 'held-list' });
    const error = formError('held-error');
    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Held for later', 'Things you chose to hold before your partner sees them. Take your time: send one when it feels right, or let it go.'),
      privacyNote(), error.el, list));
    let alive = true;
    const load = async () => {
      replaceChildren(list, loading());
      try {
        const items = await heldItems();
        if (!alive) return;
        const shares = items.filter((x) => x.type === 'share');
        const drafts = items.filter((x) => x.type === 'prompt');
        replaceChildren(list,
          shares.length ? h('ul', { class: 'plain-list stack' }, shares.map((item) => heldShare(item, error, load)))
            : h('p', { class: 'muted', 'data-testid': 'held-none' }, 'You are not holding any shares.'),
          drafts.length ? h('section', { class: 'stack', 'aria-labelledby': 'held-drafts' }, h('h2', { id: 'held-drafts' }, 'Answers you are drafting'),
            h('ul', { class: 'plain-list stack' }, drafts.map((d) => h('li', { class: 'card', 'data-testid': 'held-draft' },
              h('p', null, d.title || 'A prompt'), h('a', { href: `#/prompts/${encodeURIComponent(d.promptId)}` }, 'Keep answering'))))) : null);
      } catch (e) { error.show(e); replaceChildren(list); }
    };
    load();
    const unsub = onEvents(['held.saved', 'held.deleted', 'held.reminder'], () => load());
    return () => { alive = false; unsub(); };
  },
};

/** The reminder in words: when it is (or was) due; the server's clock decides "due". */
export function reminderText(reminder) {
  if (!reminder) return 'No reminder.';
  return reminder.due ? `Ready when you are. You asked to be reminded ${fmtDateTime(reminder.dueAt)}.` : `Reminder: ${fmtDateTime(reminder.dueAt)}`;
}

function heldShare(item, error, reload) {
  const me = session.state.user;
  const due = Boolean(item.reminder && item.reminder.due);
  const send = button(`Send to ${partnerName()} now`, { kind: 'primary', 'data-testid': 'held-send' });
  send.addEventListener('click', async () => {
    error.clear();
    send.disabled = true;
    try {
      if (!session.state.couple) throw new Error('You are not in a joint space right now, so this cannot be sent.');
      await api.saveShare(item.shareId, item.share);
      await deleteHeld(item.id);
      announce(`Shared with ${partnerName()}.`);
      navigate('#/joint');
    } catch (e) { error.show(e); send.disabled = false; }
  });
  const drop = button('Let it go', { 'data-testid': 'held-delete', onClick: async () => { await deleteHeld(item.id); reload(); } });
  return h('li', { class: 'stack held-item', 'data-testid': 'held-item', 'data-held-id': item.id, 'data-due': String(due) },
    h('p', { class: 'muted small', 'data-testid': 'held-reminder' }, reminderText(item.reminder)),
    item.share ? staticShareCard({ ...item.share, id: item.shareId, authorId: me && me.id, responses: [], counseling: false, createdAt: item.heldAt },
      { authorName: me && me.displayName, testid: 'held-card' }) : null,
    h('p', null, h('a', { href: `#/share/held/${encodeURIComponent(item.id)}`, 'data-testid': 'held-open' }, 'Open it in the composer')),
    h('div', { class: 'button-row' }, send, drop),
    keepHolding(item.id, { error, onDone: () => reload() }));
}
