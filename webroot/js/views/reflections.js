// My reflections: drafts and completed, grouped by month, filters, paging, search (in the browser,
// over the person's own opened reflections: the server cannot read them), continue or delete.
import { h, replaceChildren, fmtDateTime, truncate, debounce } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { catalog, CollectionStore } from '../store.js';
import { pageHeader, privacyNote, loading, formError, button, confirmDialog, announce, field, sealedErrorNote } from '../ui.js';

const PAGE = 20;

export default {
  title: 'Your reflections',
  render(root) {
    const store = new CollectionStore();
    let next = null;
    let alive = true;
    let loaded = false;
    const filters = { status: '', exerciseId: '' };

    const status = h('select', { 'data-testid': 'reflections-filter-status' },
      h('option', { value: '' }, 'All'),
      h('option', { value: 'draft' }, 'Drafts'),
      h('option', { value: 'complete' }, 'Completed'));
    const exercise = h('select', { 'data-testid': 'reflections-filter-exercise' }, h('option', { value: '' }, 'All exercises'));
    const list = h('div', { class: 'stack month-groups', 'data-testid': 'reflection-list', 'aria-live': 'off' });
    const search = h('input', { type: 'search', autocomplete: 'off', 'data-testid': 'reflections-search' });
    const searchCount = h('p', { class: 'muted', role: 'status', 'data-testid': 'reflections-search-count' });
    let query = '';
    let searching = false;
    const empty = h('p', { class: 'empty', 'data-testid': 'reflections-empty', hidden: true });
    const more = button('Show more', { 'data-action': 'more', 'data-testid': 'reflections-more', hidden: true });
    const error = formError('reflections-error');
    const body = h('div', { class: 'stack' }, loading());

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Your reflections', 'Everything you have started or finished. Continue a draft, read again, or share a part of it.'),
      privacyNote(),
      h('p', null, h('a', { href: '#/kept', 'data-testid': 'reflections-kept' }, 'Kept words'), ': what you kept from a joint space that has ended.'),
      h('form', { class: 'filters', 'aria-label': 'Filter reflections', 'data-testid': 'reflections-filters', onSubmit: (e) => e.preventDefault() },
        field('Show', status), field('Exercise', exercise),
        field('Search your reflections', search, { hint: 'Searched here in your browser; your words never go to the server readable.' })),
      searchCount,
      error.el,
      body));

    const matches = (r) => (!filters.status || r.status === filters.status)
      && (!filters.exerciseId || r.exerciseId === filters.exerciseId)
      && (!query || textOf(r).includes(query));

    // Searching needs every reflection opened here: fetch the remaining pages once.
    const loadAll = async () => {
      searching = true;
      try {
        for (let i = 0; next && i < 50 && alive; i += 1) await load(true);
      } finally {
        searching = false;
      }
    };

    const load = async (append) => {
      error.clear();
      more.disabled = true;
      const mark = append ? null : store.mark();
      try {
        const data = await api.reflections({
          status: filters.status, exerciseId: filters.exerciseId, limit: PAGE, before: append ? next : undefined,
        });
        if (!alive) return;
        const items = listOf(data, 'reflections');
        next = data && data.next ? data.next : null;
        if (append) items.forEach((r) => store.upsert(r));
        else store.replace(items, mark);
        loaded = true;
        render();
      } catch (e) {
        if (mark) store.forget(mark);
        if (alive) error.show(e);
      } finally {
        more.disabled = false;
      }
    };

    const render = () => {
      if (!loaded) return;
      if (!body.contains(list)) replaceChildren(body, list, empty, more);
      const items = store.list().filter(matches);
      replaceChildren(list, byMonth(items).map(([month, group], i) => h('section', {
        class: 'month-group', 'data-testid': 'month-group', 'data-month': month.key, 'aria-labelledby': `month-${i}`,
      },
      h('h2', { id: `month-${i}`, class: 'month-title' }, month.label),
      h('ul', { class: 'item-list' }, group.map((r) => item(r))))));
      empty.hidden = items.length > 0;
      replaceChildren(empty, query
        ? `Nothing you wrote matches “${search.value.trim()}”.`
        : filters.status || filters.exerciseId
          ? 'Nothing matches these filters.'
          : ['You have no reflections yet. ', h('a', { href: '#/exercises' }, 'Begin an exercise'), ' whenever you like.']);
      searchCount.textContent = query ? (searching ? 'Searching…' : `${items.length} found`) : '';
      more.hidden = !next || Boolean(query);
    };

    const item = (r) => {
      const ex = catalog.byId.get(r.exerciseId);
      const exTitle = (ex && ex.title) || 'Reflection';
      const title = (typeof r.title === 'string' && r.title.trim()) || exTitle;
      const snippet = firstText(r, ex);
      const runHref = `#/run/${encodeURIComponent(r.exerciseId)}/${encodeURIComponent(r.id)}`;
      return h('li', { class: 'card list-item', 'data-testid': 'reflection-item', 'data-reflection-id': r.id, 'data-status': r.status },
        h('div', { class: 'item-head' },
          h('h3', { class: 'item-title' }, h('a', { href: runHref, 'data-testid': 'reflection-open' }, title)),
          h('span', { class: ['badge', r.status === 'complete' ? 'badge-done' : 'badge-draft'] }, r.status === 'complete' ? 'Completed' : 'Draft')),
        title !== exTitle ? h('p', { class: 'muted', 'data-testid': 'reflection-exercise' }, exTitle) : null,
        h('p', { class: 'muted small' }, `Started ${fmtDateTime(r.createdAt)} · last saved ${fmtDateTime(r.updatedAt)}`),
        sealedErrorNote(r),
        snippet ? h('p', { class: 'snippet' }, truncate(snippet, 180)) : null,
        h('div', { class: 'button-row' },
          r.sealedError ? null : h('a', { href: runHref, class: 'btn', 'data-testid': 'reflection-continue' }, r.status === 'complete' ? 'Open' : 'Continue'),
          r.sealedError ? null : h('a', { href: `#/share/${encodeURIComponent(r.id)}`, class: 'btn', 'data-testid': 'reflection-share' }, 'Share from this'),
          button('Delete', {
            kind: 'quiet-danger',
            'data-action': 'delete',
            'data-testid': 'reflection-delete',
            'aria-label': `Delete “${title}” from ${fmtDateTime(r.createdAt)}`,
            onClick: async () => {
              const ok = await confirmDialog({
                title: 'Delete this reflection?',
                message: ['It will be gone from all your devices. This cannot be undone.',
                  'Anything you already shared from it stays in your joint space until you withdraw it there.'],
                confirmLabel: 'Delete reflection',
                danger: true,
                testid: 'confirm-delete-reflection',
                returnFocus: root.querySelector('[data-page-title]'),
                onConfirm: async () => {
                  try { await api.deleteReflection(r.id); } catch (e) { if (e.status !== 404) throw e; }
                },
              });
              if (ok) { store.remove(r.id); announce('Reflection deleted.'); }
            },
          })));
    };

    status.addEventListener('change', () => { filters.status = status.value; load(false); });
    exercise.addEventListener('change', () => { filters.exerciseId = exercise.value; load(false); });
    more.addEventListener('click', () => load(true));
    const runSearch = debounce(async () => {
      query = normalize(search.value);
      render();
      if (query && next) { await loadAll(); render(); }
    }, 200);
    search.addEventListener('input', runSearch);
    const unwatch = store.watch(render);
    const unsub = onEvents(['reflection.saved', 'reflection.deleted'], (msg) => {
      const data = msg.data || {};
      if (msg.kind === 'reflection.deleted') store.remove(data.id);
      else if (data.id && (store.has(data.id) || matches(data))) store.upsert(data);
    });
    const unresync = onResync(['self'], () => load(false));

    catalog.load().then((exercises) => {
      if (!alive) return;
      for (const ex of exercises) exercise.appendChild(h('option', { value: ex.id }, ex.title));
      render();
    }).catch(() => {});
    load(false);

    return () => { alive = false; unwatch(); unsub(); unresync(); };
  },
};

const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** [[{key, label}, items]] by the month each was started, newest month first (items are newest first). */
function byMonth(items) {
  const groups = new Map();
  for (const r of items) {
    const d = new Date(r.createdAt);
    const ok = !Number.isNaN(d.getTime());
    const key = ok ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}` : 'unknown';
    if (!groups.has(key)) groups.set(key, [{ key, label: ok ? monthFmt.format(d) : 'Undated' }, []]);
    groups.get(key)[1].push(r);
  }
  return [...groups.values()];
}

function normalize(text) {
  return String(text || '').toLocaleLowerCase().normalize('NFKD').replace(/\s+/g, ' ').trim();
}

/** Everything searchable in one reflection, as opened in this browser. */
function textOf(r) {
  if (r.sealedError) return '';
  const ex = catalog.byId.get(r.exerciseId);
  const parts = [r.title, ex && ex.title];
  for (const v of Object.values(r.answers || {})) {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) parts.push(v.join(' '));
    else if (v && typeof v === 'object' && typeof v.name === 'string') parts.push(v.name);
  }
  return normalize(parts.filter(Boolean).join(' \n '));
}

function firstText(r, ex) {
  const answers = r.answers || {};
  const steps = (ex && ex.steps) || [];
  for (const s of steps) {
    if (s.kind === 'text' && typeof answers[s.id] === 'string' && answers[s.id].trim()) return answers[s.id];
  }
  return Object.values(answers).find((v) => typeof v === 'string' && v.trim()) || '';
}
