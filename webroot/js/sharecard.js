// How a share reads on the page, used by the joint space, the share preview
// and the review agenda, so the preview shows exactly what the partner sees.
import { h, fmtDateTime, uid } from './dom.js';
import { api } from './api.js';
import { catalog, nameOf, INTENTS, ACKS } from './store.js';
import { promptCatalog } from './promptcatalog.js';

export function intentBadge(intent) {
  if (!INTENTS[intent]) return null;
  return h('span', { class: ['badge', `intent-${intent}`], 'data-testid': 'share-intent', 'data-intent': intent }, INTENTS[intent]);
}

export function counselingBadge(share) {
  return share.counseling
    ? h('span', { class: 'badge badge-counseling', 'data-testid': 'share-flagged' }, 'For counseling')
    : null;
}

/** After a joint review that settled it (docs/REVIEW.md "Closing"): when it was discussed. */
export function discussedBadge(share) {
  if (!share.discussedAt || Number.isNaN(Date.parse(share.discussedAt))) return null;
  return h('span', { class: 'badge badge-discussed', 'data-testid': 'share-discussed' },
    'Discussed ', h('time', { datetime: share.discussedAt }, fmtDateTime(share.discussedAt)));
}

/** Title, author and time, intent. */
export function shareHeader(share, { level = 'h2', authorName, titleId } = {}) {
  const edited = share.updatedAt && share.createdAt && share.updatedAt !== share.createdAt && share.version > 1;
  return h('header', { class: 'share-head' },
    h(level, { class: 'share-title', id: titleId || null, 'data-testid': 'share-title' }, share.title || 'Untitled'),
    h('p', { class: 'share-meta' },
      h('span', { class: 'share-author', 'data-testid': 'share-author' }, share.kind === 'pair'
        ? `Answered apart by ${[...new Set((share.excerpts || []).map((x) => nameOf(x.authorId)))].join(' & ')}, revealed together`
        : authorName || nameOf(share.authorId)),
      share.createdAt ? [' · ', h('time', { datetime: share.createdAt }, fmtDateTime(share.createdAt))] : null,
      edited ? ' · edited' : null),
    h('p', { class: 'badges' }, intentBadge(share.intent), counselingBadge(share), discussedBadge(share)));
}

function answerOf(userId) {
  const name = nameOf(userId);
  return name === 'You' ? 'Your answer' : `${name}'s answer`;
}

/** The shared words: excerpts (with the question they answered, when known) and the note. */
export function shareBody(share) {
  const excerpts = Array.isArray(share.excerpts) ? share.excerpts : [];
  const pair = share.kind === 'pair';
  const prompts = pair ? new Map() : catalog.promptsFor(excerpts.map((x) => x.stepId));
  if (pair) promptCatalog.load().catch(() => null);
  return h('div', { class: 'share-body', 'data-kind': pair ? 'pair' : null },
    excerpts.map((x) => {
      // A pair's answers each name their writer (and the question, once the prompt catalog is here).
      const prompt = pair
        ? [promptCatalog.questionText(share.title, x.stepId), answerOf(x.authorId)].filter(Boolean).join(' · ')
        : prompts.get(x.stepId);
      return h('figure', { class: 'excerpt', 'data-testid': 'share-excerpt' },
        prompt ? h('figcaption', { class: 'excerpt-prompt' }, prompt) : null,
        h('blockquote', { class: 'excerpt-text' }, x.text));
    }),
    share.note ? h('p', { class: 'share-note', 'data-testid': 'share-note' }, h('span', { class: 'note-label' }, 'Note: '), share.note) : null);
}

export function responseText(r) {
  if (r.kind === 'ack') return ACKS[r.ack] || r.ack || '';
  return r.text || '';
}

/** A read-only card (preview, review agenda). */
export function staticShareCard(share, opts = {}) {
  const titleId = uid('share');
  return h('article', { class: 'share-card card', 'data-testid': opts.testid || 'share-card', 'aria-labelledby': titleId },
    shareHeader(share, { ...opts, titleId }),
    shareBody(share),
    opts.withResponses ? responseList(share, { readOnly: true }) : null);
}

export function responseList(share, { readOnly = true, myId = null, onDelete = null } = {}) {
  const responses = Array.isArray(share.responses) ? [...share.responses] : [];
  if (!responses.length) return null;
  responses.sort((a, b) => String(a.createdAt || '').localeCompare(String(b.createdAt || '')));
  return h('ul', { class: 'responses', 'data-testid': 'response-list', 'aria-label': 'Responses' },
    responses.map((r) => h('li', { class: ['response', r.kind === 'ack' ? 'response-ack' : 'response-comment'], 'data-testid': 'response', 'data-response-id': r.id, 'data-kind': r.kind },
      h('p', { class: 'response-meta' },
        h('span', { class: 'response-author' }, nameOf(r.authorId)),
        r.createdAt ? [' · ', h('time', { datetime: r.createdAt }, fmtDateTime(r.createdAt))] : null),
      h('p', { class: 'response-text' }, r.kind === 'ack' ? `“${responseText(r)}”` : responseText(r)),
      // An acknowledgement is taken back with its own toggle below; only comments get a button here.
      !readOnly && myId && r.authorId === myId && onDelete && r.kind !== 'ack'
        ? h('button', {
          type: 'button',
          class: 'btn btn-small btn-quiet-danger',
          'data-action': `delete-response-${r.id}`,
          'data-testid': 'response-delete',
          onClick: () => onDelete(r),
        }, 'Delete', h('span', { class: 'visually-hidden' }, ' your response'))
        : null)));
}

function isFullShare(d) {
  return Boolean(d && d.id && Array.isArray(d.excerpts));
}

/**
 * Applies a couple-stream share/response event to a CollectionStore of shares.
 * The data may be the whole share or just the changed piece; when it is not
 * enough to know the new state, the share is fetched again over HTTP.
 */
export function applyShareEvent(store, msg, reloadAll) {
  const d = msg.data || {};
  const refetch = (id) => {
    if (!id) { if (reloadAll) reloadAll(); return; }
    api.share(id).then((s) => store.upsert(s)).catch((e) => { if (e.status === 404) store.remove(id); });
  };
  switch (msg.kind) {
    case 'share.withdrawn':
      store.remove(d.id || d.shareId);
      return;
    case 'share.created':
    case 'share.updated':
    case 'share.flagged': {
      if (isFullShare(d)) { store.upsert(d, { live: msg.kind === 'share.created' }); return; }
      const id = d.id || d.shareId;
      if (msg.kind === 'share.flagged' && store.has(id) && typeof (d.counseling ?? d.flag) === 'boolean') {
        store.upsert({ ...store.get(id), counseling: d.counseling ?? d.flag });
        return;
      }
      refetch(id);
      return;
    }
    case 'response.created': {
      if (isFullShare(d)) { store.upsert(d); return; }
      const sid = d.shareId;
      const share = sid && store.get(sid);
      if (share && d.id && d.kind) {
        const rest = (share.responses || []).filter((r) => r.id !== d.id);
        const response = { ...d };
        delete response.shareId;
        store.upsert({ ...share, responses: [...rest, response] });
        return;
      }
      refetch(sid);
      return;
    }
    case 'response.deleted': {
      if (isFullShare(d)) { store.upsert(d); return; }
      const rid = d.responseId || d.id;
      const owner = (d.shareId && store.get(d.shareId))
        || store.list().find((s) => (s.responses || []).some((r) => r.id === rid));
      if (owner) store.upsert({ ...owner, responses: (owner.responses || []).filter((r) => r.id !== rid) });
      else if (store.has(d.id)) refetch(d.id);
      return;
    }
    default:
  }
}

/** The three intents as radio buttons in a fieldset. */
export function intentRadios(selected, testid) {
  const name = uid('intent');
  const radios = Object.entries(INTENTS).map(([value, label]) => {
    const input = h('input', { type: 'radio', name, value, id: `${name}-${value}`, 'data-testid': `${testid}-${value}`, checked: value === (selected || 'listen') });
    return { value, input, el: h('div', { class: 'radio' }, input, h('label', { for: input.id }, label)) };
  });
  const el = h('fieldset', { class: 'radio-group', 'data-testid': testid },
    h('legend', null, 'How would you like it to be received?'),
    radios.map((r) => r.el));
  return {
    el,
    value: () => (radios.find((r) => r.input.checked) || radios[0]).value,
    set: (v) => { for (const r of radios) r.input.checked = r.value === v; },
  };
}
