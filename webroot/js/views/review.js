// The joint review: a live, shared agenda of flagged items before counseling.
import { h, replaceChildren, fmtDateTime, debounce, uid, keepFocus } from '../dom.js';
import { api, listOf } from '../api.js';
import { realtime, onEvents, onResync } from '../realtime.js';
import { session, catalog, CollectionStore, nameOf, partner, partnerName } from '../store.js';
import { shareBody, responseList, applyShareEvent, intentBadge, counselingBadge } from '../sharecard.js';
import { couplePage, loading, formError, button, confirmDialog, announce } from '../ui.js';
import { counselorPanel } from './counselor-panel.js';

export default {
  title: 'Joint review',
  render(root) {
    return couplePage(root, {
      title: 'Joint review',
      intro: 'Prepare together for your next counseling session: agree on what matters most, add your own note to each item, and take a short brief along.',
      notPairedWhat: 'your joint reviews',
      create: (container, coupleId) => new ReviewSpace(container, coupleId),
    });
  },
};

function briefLinks(reviewId, prefix = 'brief') {
  return h('ul', { class: 'brief-links', 'aria-label': 'The brief' },
    // The server serves the printable page inline (it opens in a tab, ready to print), the others as files.
    h('li', null, h('a', { href: api.briefUrl(reviewId, 'html'), target: '_blank', rel: 'noopener', 'data-testid': `${prefix}-html` },
      'Printable page', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'))),
    h('li', null, h('a', { href: api.briefUrl(reviewId, 'md'), download: '', 'data-testid': `${prefix}-md` }, 'Markdown')),
    h('li', null, h('a', { href: api.briefUrl(reviewId, 'pdf'), download: '', 'data-testid': `${prefix}-pdf` }, 'PDF')));
}

const REVIEW_STEPS = [['agenda', 'Agenda'], ['notes', 'Notes'], ['ready', 'Ready'], ['brief', 'Brief'], ['close', 'Close']];

class ReviewSpace {
  constructor(container, coupleId) {
    this.coupleId = coupleId;
    this.alive = true;
    this.review = null;
    this.loaded = false;
    /** Counts live changes to the review, so an answer that was on the way meanwhile does not undo them. */
    this.reviewChanges = 0;
    this.shares = new CollectionStore();
    this.items = new Map();
    this.partnerFocus = null;
    this.myFocus = null;
    this.agendaSeq = 0;
    this.fetching = new Set();
    this.error = formError('review-error');
    this.current = h('div', { class: 'stack', 'data-testid': 'review-current' }, loading());
    // With its heading from the start: a section named by a heading not there yet is an ARIA error.
    this.past = h('section', { class: 'card', 'aria-labelledby': 'past-title', 'data-testid': 'review-past' },
      h('h2', { id: 'past-title' }, 'Past reviews'));
    this.counselor = counselorPanel();
    replaceChildren(container, this.error.el, this.current, this.past, this.counselor.el);
    this.unsubs = [
      // A withdrawn share leaves every agenda at once (API.md), with its notes.
      onEvents(['share.withdrawn'], (msg) => this.dropFromAgenda(msg.data && (msg.data.id || msg.data.shareId))),
      this.shares.watch(() => this.renderAll()),
      onEvents(['share.created', 'share.updated', 'share.withdrawn', 'share.flagged', 'response.created', 'response.deleted'],
        (msg) => applyShareEvent(this.shares, msg, () => this.loadShares())),
      onEvents(['review.started', 'review.updated', 'review.closed'], (msg) => this.onReviewEvent(msg)),
      onResync(['couple'], () => this.loadAll()),
    ];
    const onFocus = (e) => {
      const { userId, reviewId, shareId } = e.detail;
      const me = session.state.user;
      if (me && userId === me.id) return;
      this.partnerFocus = this.review && reviewId === this.review.id ? shareId : null;
      this.updateFocusMarks();
    };
    const onPresence = (e) => { if (!e.detail.online) { this.partnerFocus = null; this.updateFocusMarks(); } };
    realtime.addEventListener('focus', onFocus);
    realtime.addEventListener('presence', onPresence);
    this.unsubs.push(() => realtime.removeEventListener('focus', onFocus), () => realtime.removeEventListener('presence', onPresence));
    catalog.load().catch(() => {}).then(() => this.loadAll());
  }

  destroy() {
    this.alive = false;
    this.counselor.destroy();
    for (const u of this.unsubs) u();
    for (const item of this.items.values()) item.flush();
  }

  async loadAll() {
    await Promise.all([this.loadShares(), this.loadCurrent(), this.loadPast()]);
  }

  async loadShares() {
    const mark = this.shares.mark();
    try {
      const data = await api.shares();
      if (!this.alive) return;
      this.sharesLoaded = true;
      this.shares.replace(listOf(data, 'shares'), mark);
    } catch (e) {
      this.shares.forget(mark);
      this.fail(e);
    }
  }

  async loadCurrent() {
    const changes = this.reviewChanges;
    const settle = (r) => {
      this.loaded = true;
      // A live change that arrived while this answer was on the way is at least as new as it.
      if (this.reviewChanges !== changes) this.renderAll();
      else this.setReview(r);
    };
    try {
      const r = await api.currentReview();
      if (this.alive) settle(r);
    } catch (e) {
      if (!this.alive) return;
      if (e.status === 404) settle(null);
      else this.fail(e);
    }
  }

  async loadPast() {
    // Only the newest request's answer counts: two in flight may answer out of order.
    const request = (this.pastRequest = (this.pastRequest || 0) + 1);
    try {
      const data = await api.reviews();
      if (!this.alive || request !== this.pastRequest) return;
      this.pastList = listOf(data, 'reviews');
      this.renderPast();
    } catch (e) {
      this.fail(e);
    }
  }

  fail(e) {
    if (!this.alive) return;
    if (e.code === 'not_paired') { session.set({ couple: null }); return; }
    this.error.show(e);
  }

  onReviewEvent(msg) {
    this.reviewChanges += 1;
    const d = msg.data || {};
    if (msg.kind === 'review.closed') {
      if (this.review && (!d.id || d.id === this.review.id)) {
        this.setReview(null);
        announce('The review was closed. You can still download its brief below.');
      }
      this.loadPast();
      return;
    }
    if (d.id && Array.isArray(d.agenda)) {
      if (d.status === 'closed') { this.onReviewEvent({ kind: 'review.closed', data: d }); return; }
      const started = !this.review;
      this.setReview(d);
      if (started && msg.kind === 'review.started') announce(`${nameOf(d.startedBy)} started a joint review.`);
    } else {
      this.loadCurrent();
    }
    if (msg.kind === 'review.started') this.loadPast();
  }

  setReview(r) {
    if (r && r.status === 'closed') r = null;
    if ((this.review && r && r.id !== this.review.id) || !r) {
      this.clearItems();
      this.myFocus = null;
      this.partnerFocus = null;
    }
    this.review = r;
    this.renderAll();
  }

  clearItems() {
    for (const item of this.items.values()) { item.flush(); item.el.remove(); }
    this.items.clear();
    this.agendaList = null;
  }

  dropFromAgenda(shareId) {
    // At once, before the review.updated the server sends after it (which also counts as a change).
    if (!shareId || !this.review || !(this.review.agenda || []).some((a) => a.shareId === shareId)) return;
    this.review = { ...this.review, agenda: this.review.agenda.filter((a) => a.shareId !== shareId) };
    this.renderAll();
  }

  sendFocus(shareId) {
    if (!this.review || this.myFocus === shareId) return;
    this.myFocus = shareId;
    realtime.send({ type: 'focus', reviewId: this.review.id, shareId });
  }

  updateFocusMarks() {
    for (const [shareId, item] of this.items) item.setPartnerFocus(this.partnerFocus === shareId);
  }

  // ------------------------------------------------------------------ render
  refresh() { this.renderAll(); }

  renderAll() {
    if (!this.alive || !this.loaded) return;
    if (!this.review) this.renderStart();
    else this.renderOpen();
    this.renderPast();
  }

  renderStart() {
    this.shell = null;
    const flagged = this.shares.list().filter((s) => s.counseling).length;
    const err = formError('review-start-error');
    const start = button('Start a joint review', {
      kind: 'primary',
      'data-action': 'start-review',
      'data-testid': 'review-start',
      onClick: async () => {
        err.clear();
        start.disabled = true;
        try {
          this.setReview(await api.startReview());
          announce('Your joint review has started.');
          const t = this.current.querySelector('[data-review-title]');
          if (t) t.focus();
        } catch (e) {
          if (e.code === 'review_open' && e.current) this.setReview(e.current);
          else err.show(e);
        } finally {
          start.disabled = false;
        }
      },
    });
    const had = this.current.querySelector('[data-action="start-review"]') === document.activeElement;
    replaceChildren(this.current, h('section', { class: 'card', 'aria-labelledby': 'start-title', 'data-testid': 'review-none' },
      h('h2', { id: 'start-title' }, 'No review in progress'),
      h('p', null, flagged
        ? `${flagged} shared item${flagged === 1 ? ' is' : 's are'} flagged for counseling. A new review starts with ${flagged === 1 ? 'it' : 'them'} on the agenda.`
        : 'Nothing is flagged for counseling yet. You can flag items in your joint space, or add them to the agenda once the review has started.'),
      err.el,
      start));
    if (had) start.focus();
  }

  renderOpen() {
    const r = this.review;
    const me = session.state.user;
    const other = partner();
    if (!this.shell || this.shell.reviewId !== r.id) this.buildShell();
    const s = this.shell;
    s.startedBy.textContent = `Started by ${nameOf(r.startedBy) === 'You' ? 'you' : nameOf(r.startedBy)} on ${fmtDateTime(r.createdAt)}.`;
    const ready = r.ready || {};
    const meReady = Boolean(me && ready[me.id]);
    const otherReady = Boolean(other && ready[other.id]);
    replaceChildren(s.readyList,
      h('li', { 'data-testid': 'review-ready-self', 'data-ready': String(meReady) },
        h('span', { class: ['ready-dot', meReady ? 'is-ready' : null], 'aria-hidden': 'true' }), `You: ${meReady ? 'ready' : 'not ready yet'}`),
      other ? h('li', { 'data-testid': 'review-ready-partner', 'data-ready': String(otherReady) },
        h('span', { class: ['ready-dot', otherReady ? 'is-ready' : null], 'aria-hidden': 'true' }), `${other.displayName}: ${otherReady ? 'ready' : 'not ready yet'}`) : null);
    s.readyBtn.setAttribute('aria-pressed', String(meReady));
    s.readyBtn.textContent = meReady ? 'I’m ready' : 'Mark me as ready';
    s.readyHint.textContent = meReady && otherReady
      ? 'You are both ready. Download the brief and close the review when you are done.'
      : 'When you have added your notes, mark yourself as ready.';
    this.renderAgenda();
    this.renderAddList();
    this.markStep(meReady, otherReady);
  }

  /** Where the two of you are: the first step not done yet. */
  markStep(meReady, otherReady) {
    const r = this.review;
    const me = session.state.user;
    const agenda = r.agenda || [];
    const noted = me && agenda.length > 0 && agenda.every((a) => a.notes && a.notes[me.id]);
    const step = !agenda.length ? 'agenda' : !noted && !meReady ? 'notes' : !(meReady && otherReady) ? 'ready' : 'brief';
    for (const li of this.shell.steps) {
      if (li.getAttribute('data-step') === step) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
  }

  buildShell() {
    const r = this.review;
    const err = formError('review-action-error');
    const readyBtn = button('Mark me as ready', {
      class: 'chip-btn',
      'data-action': 'toggle-ready',
      'data-testid': 'review-ready-toggle',
      'aria-pressed': 'false',
      onClick: async () => {
        err.clear();
        const me = session.state.user;
        const now = Boolean(me && this.review.ready && this.review.ready[me.id]);
        try {
          this.setReview(await api.setReady(this.review.id, !now));
        } catch (e) { this.handleActionError(e, err); }
      },
    });
    const close = button('Close the review', {
      kind: 'quiet-danger',
      'data-action': 'close-review',
      'data-testid': 'review-close',
      onClick: () => this.confirmClose(),
    });
    const agendaList = h('ol', { class: 'agenda', 'data-testid': 'review-agenda' });
    const agendaEmpty = h('p', { class: 'empty', 'data-testid': 'review-agenda-empty' }, 'The agenda is empty. Add items from the list below.');
    const addList = h('ul', { class: 'item-list', 'data-testid': 'review-add-list' });
    const title = h('h2', { id: 'review-title', tabindex: '-1', 'data-review-title': '' }, 'Your review in progress');
    // The way through a review (docs/REVIEW.md): agenda, notes, ready, brief, and closing last.
    const steps = REVIEW_STEPS.map(([id, label]) => h('li', { 'data-step': id, 'data-testid': 'review-step' }, label));
    this.shell = {
      reviewId: r.id,
      startedBy: h('p', { class: 'muted' }),
      readyList: h('ul', { class: 'ready-list', 'aria-label': 'Who is ready' }),
      readyHint: h('p', { class: 'hint' }),
      readyBtn,
      err,
      agendaList,
      agendaEmpty,
      addList,
      steps,
    };
    this.agendaList = agendaList;
    replaceChildren(this.current,
      h('div', { class: 'stack', 'data-testid': 'review-open', 'data-review-id': r.id },
        h('section', { class: 'card review-panel', 'aria-labelledby': 'review-title' },
          title,
          this.shell.startedBy,
          h('ol', { class: 'review-steps', 'aria-label': 'Steps of the review', 'data-testid': 'review-steps' }, steps),
          err.el),
        h('section', { class: 'stack', 'aria-labelledby': 'agenda-title' },
          h('h2', { id: 'agenda-title' }, '1. Agenda and 2. your notes'),
          h('p', { class: 'hint' }, `Put what matters most first, then add your own note to each item. ${partnerName()} sees every change right away.`),
          agendaEmpty,
          agendaList),
        h('section', { class: 'card', 'aria-labelledby': 'add-title' },
          h('h2', { id: 'add-title' }, 'Add to the agenda'),
          addList),
        h('section', { class: 'card', 'aria-labelledby': 'ready-title', 'data-testid': 'review-ready-section' },
          h('h2', { id: 'ready-title' }, '3. Ready'),
          h('div', { class: 'ready-row' }, this.shell.readyList, readyBtn),
          this.shell.readyHint),
        h('section', { class: 'card', 'aria-labelledby': 'brief-title', 'data-testid': 'review-brief-section' },
          h('h2', { id: 'brief-title' }, '4. The brief for your counselor'),
          h('p', { class: 'hint' }, 'It contains only the items on the agenda: what was shared, the responses and both of your notes. Nothing private.'),
          briefLinks(r.id)),
        h('section', { class: 'card', 'aria-labelledby': 'close-title', 'data-testid': 'review-close-section' },
          h('h2', { id: 'close-title' }, '5. Close the review'),
          h('p', null, 'After your session, close the review together. Its items are marked “discussed” in your joint space and are no longer flagged for counseling, unless you choose to carry one over to next time.'),
          h('div', { class: 'button-row' }, close))));
  }

  /** Closing, last: which items to carry over (they stay flagged); the rest are marked discussed. */
  async confirmClose() {
    const agenda = (this.review.agenda || []).map((a) => a.shareId);
    const boxes = agenda.map((id) => {
      const share = this.shares.get(id);
      const input = h('input', { type: 'checkbox', id: uid('carry'), value: id, 'data-testid': 'carry-over', 'data-share-id': id });
      return { id, input, el: h('div', { class: 'checkbox' }, input, h('label', { for: input.id }, `Carry over: ${share ? share.title : 'this item'}`)) };
    });
    const fields = boxes.length
      ? h('fieldset', { class: 'carry-over' }, h('legend', null, 'Anything to talk about again next time?'), boxes.map((b) => b.el))
      : null;
    const ok = await confirmDialog({
      title: 'Close this review?',
      message: [
        'A closed review can no longer be changed, by either of you. You can still download its brief afterwards.',
        agenda.length ? 'Every item on the agenda is marked “discussed” and its counseling flag is cleared, for both of you. An item you carry over stays flagged and starts your next review.' : null,
      ].filter(Boolean),
      fields,
      confirmLabel: 'Close the review',
      testid: 'confirm-close-review',
      onConfirm: async () => {
        for (const item of this.items.values()) await item.flush();
        const carryOver = boxes.filter((b) => b.input.checked).map((b) => b.id);
        return api.closeReview(this.review.id, carryOver);
      },
    });
    if (!ok) return;
    this.setReview(null);
    this.loadPast();
    this.loadShares();
    announce('The review is closed. Its brief is listed under past reviews.');
  }

  handleActionError(e, err) {
    if (e.code === 'review_closed' || e.status === 404) {
      announce('This review was closed.');
      this.loadCurrent();
      this.loadPast();
      return;
    }
    err.show(e);
  }

  renderAgenda() {
    const r = this.review;
    const list = this.shell.agendaList;
    const agenda = (r.agenda || []);
    const ids = agenda.map((a) => a.shareId);
    const keep = new Set(ids);
    for (const [id, item] of this.items) {
      if (!keep.has(id)) { item.flush(); item.el.remove(); this.items.delete(id); }
    }
    const active = document.activeElement;
    let ref = list.firstChild;
    agenda.forEach((entry, index) => {
      let item = this.items.get(entry.shareId);
      if (!item) {
        item = new AgendaItem(this, entry.shareId);
        this.items.set(entry.shareId, item);
      }
      const share = this.shares.get(entry.shareId);
      if (!share && this.sharesLoaded && !this.fetching.has(entry.shareId)) {
        this.fetching.add(entry.shareId);
        api.share(entry.shareId).then((s) => this.shares.upsert(s))
          .catch((e) => { if (e.status === 404) this.dropFromAgenda(entry.shareId); })
          .finally(() => this.fetching.delete(entry.shareId));
      }
      item.update(share, entry, index, agenda.length);
      if (item.el !== ref) list.insertBefore(item.el, ref);
      else ref = ref.nextSibling;
    });
    // Moving a node drops keyboard focus; put it back where it was.
    if (active && active.isConnected && document.activeElement !== active) active.focus();
    this.shell.agendaEmpty.hidden = agenda.length > 0;
    this.updateFocusMarks();
  }

  renderAddList() {
    const on = new Set((this.review.agenda || []).map((a) => a.shareId));
    const candidates = this.shares.list().filter((s) => !on.has(s.id));
    const list = this.shell.addList;
    keepFocus(list, () => replaceChildren(list, candidates.length
      ? candidates.map((s) => h('li', { class: 'list-item add-item', 'data-testid': 'review-add-item', 'data-share-id': s.id },
        h('div', null,
          h('p', { class: 'strong' }, s.title),
          h('p', { class: 'muted small' }, `${nameOf(s.authorId)} · ${fmtDateTime(s.createdAt)}${s.counseling ? ' · flagged for counseling' : ''}`)),
        button(['Add to agenda', h('span', { class: 'visually-hidden' }, `: ${s.title}`)], {
          'data-action': `add-${s.id}`,
          'data-testid': 'review-add',
          onClick: () => this.changeAgenda([...(this.review.agenda || []).map((a) => a.shareId), s.id], s.id),
        })))
      : h('li', { class: 'empty' }, 'Everything shared is already on the agenda.')));
  }

  /** Sends the new order; the most recent request wins, and the view updates at once. */
  async changeAgenda(shareIds, focusShareId) {
    const err = this.shell.err;
    err.clear();
    const before = this.review;
    const byId = new Map((before.agenda || []).map((a) => [a.shareId, a]));
    this.review = { ...before, agenda: shareIds.map((id) => byId.get(id) || { shareId: id, notes: {} }) };
    this.renderAll();
    if (focusShareId && this.items.get(focusShareId)) this.items.get(focusShareId).focusNote();
    const seq = ++this.agendaSeq;
    try {
      const result = await api.setAgenda(before.id, shareIds);
      if (seq === this.agendaSeq && this.alive) this.setReview(result);
    } catch (e) {
      if (seq === this.agendaSeq && this.alive) {
        this.review = before;
        this.renderAll();
        this.handleActionError(e, err);
      }
    }
  }

  move(shareId, delta) {
    const ids = (this.review.agenda || []).map((a) => a.shareId);
    const i = ids.indexOf(shareId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    this.changeAgenda(ids);
    const item = this.items.get(shareId);
    announce(`Moved to position ${j + 1} of ${ids.length}.`);
    // Keep the keyboard on the same control, or its sibling if it became disabled.
    if (item) item.focusMove(delta);
  }

  remove(shareId) {
    const ids = (this.review.agenda || []).map((a) => a.shareId).filter((id) => id !== shareId);
    this.changeAgenda(ids);
    announce('Removed from the agenda.');
  }

  renderPast() {
    const list = (this.pastList || []).filter((r) => r.status === 'closed');
    replaceChildren(this.past,
      h('h2', { id: 'past-title' }, 'Past reviews'),
      list.length
        ? h('ul', { class: 'item-list' }, list.map((r) => h('li', { class: 'list-item', 'data-testid': 'past-review', 'data-review-id': r.id },
          h('p', { class: 'strong' }, `Review of ${fmtDateTime(r.createdAt)}`),
          h('p', { class: 'muted small' }, `${(r.agenda || []).length} item${(r.agenda || []).length === 1 ? '' : 's'}${r.closedAt ? ` · closed ${fmtDateTime(r.closedAt)}` : ''}`),
          briefLinks(r.id, 'past-brief'))))
        : h('p', { class: 'empty' }, 'No past reviews yet.'));
  }
}

class AgendaItem {
  constructor(space, shareId) {
    this.space = space;
    this.shareId = shareId;
    this.dirty = false;
    this.titleId = uid('agenda');
    this.heading = h('h3', { id: this.titleId, class: 'agenda-title' });
    this.focusMark = h('p', { class: 'focus-mark', 'data-testid': 'partner-focus', hidden: true });
    this.content = h('div', { class: 'agenda-content' });
    this.partnerNote = h('div', { class: 'partner-note', 'data-testid': 'review-partner-note' });
    const noteId = uid('note');
    this.noteLabel = h('label', { for: noteId }, 'Your note for the counselor');
    this.note = h('textarea', { id: noteId, rows: '3', maxlength: '20000', 'data-testid': 'review-note', 'data-focus-key': 'note' });
    this.noteState = h('p', { class: 'status-line', role: 'status', 'data-testid': 'review-note-state' });
    this.up = button('Move up', { class: 'btn-small', 'data-action': 'move-up', 'data-testid': 'review-move-up', onClick: () => space.move(shareId, -1) });
    this.down = button('Move down', { class: 'btn-small', 'data-action': 'move-down', 'data-testid': 'review-move-down', onClick: () => space.move(shareId, 1) });
    this.removeBtn = button('Remove', { class: 'btn-small', kind: 'quiet-danger', 'data-action': 'remove', 'data-testid': 'review-remove', onClick: () => space.remove(shareId) });
    this.saveNote = debounce(() => this.sendNote(), 800);
    this.note.addEventListener('input', () => {
      this.dirty = true;
      this.noteState.textContent = 'Saving…';
      this.saveNote();
    });
    this.el = h('li', { class: 'card agenda-item', 'data-testid': 'review-agenda-item', 'data-share-id': shareId, 'aria-labelledby': this.titleId },
      h('div', { class: 'agenda-head' }, this.heading),
      this.focusMark,
      this.content,
      h('div', { class: 'notes' },
        h('div', { class: 'field' }, this.noteLabel, this.note, this.noteState),
        this.partnerNote),
      h('div', { class: 'button-row agenda-controls', role: 'group', 'aria-label': 'Arrange' }, this.up, this.down, this.removeBtn));
    const look = () => space.sendFocus(shareId);
    this.el.addEventListener('focusin', look);
    this.el.addEventListener('pointerdown', look);
  }

  update(share, entry, index, count) {
    const title = share ? share.title : 'Loading this item…';
    this.heading.textContent = `${index + 1}. ${title}`;
    const key = share ? JSON.stringify(share) : '';
    if (key !== this.shareKey) {
      this.shareKey = key;
      replaceChildren(this.content, share ? [
        h('p', { class: 'share-meta' },
          h('span', { class: 'share-author', 'data-testid': 'share-author' }, nameOf(share.authorId)),
          share.createdAt ? ` · ${fmtDateTime(share.createdAt)}` : null),
        h('p', { class: 'badges' }, intentBadge(share.intent), counselingBadge(share)),
        shareBody(share),
        responseList(share, { readOnly: true }),
      ] : null);
    }
    const me = session.state.user;
    const other = partner();
    const notes = entry.notes || {};
    const mine = me ? notes[me.id] || '' : '';
    if (!this.dirty && document.activeElement !== this.note && this.note.value !== mine) this.note.value = mine;
    const theirs = other ? notes[other.id] : '';
    replaceChildren(this.partnerNote,
      h('p', { class: 'partner-note-label' }, other ? `${other.displayName}’s note` : 'Your partner’s note'),
      theirs ? h('p', { class: 'partner-note-text' }, theirs) : h('p', { class: 'muted' }, 'No note yet.'));
    this.up.disabled = index === 0;
    this.down.disabled = index === count - 1;
    // Visible text first, then the item's title for screen readers (WCAG 2.5.3).
    replaceChildren(this.up, 'Move up', h('span', { class: 'visually-hidden' }, `: ${title}`));
    replaceChildren(this.down, 'Move down', h('span', { class: 'visually-hidden' }, `: ${title}`));
    replaceChildren(this.removeBtn, 'Remove', h('span', { class: 'visually-hidden' }, `: ${title}`));
  }

  setPartnerFocus(on) {
    this.focusMark.hidden = !on;
    this.focusMark.textContent = on ? `${partnerName()} is looking at this` : '';
    this.el.classList.toggle('partner-here', on);
  }

  focusNote() { this.note.focus(); }

  focusMove(delta) {
    const target = delta < 0 ? (this.up.disabled ? this.down : this.up) : (this.down.disabled ? this.up : this.down);
    if (!target.disabled) target.focus();
  }

  async sendNote() {
    const space = this.space;
    if (!space.review) return;
    const text = this.note.value;
    try {
      const result = await api.setNote(space.review.id, this.shareId, text);
      if (this.note.value === text) {
        this.dirty = false;
        this.noteState.textContent = 'Saved';
      }
      if (space.alive && result && result.id) space.setReview(result);
    } catch (e) {
      this.noteState.textContent = e.isRetryable ? 'Not saved yet — trying again soon.' : `Not saved: ${e.message}`;
      if (e.isRetryable) this.saveNote();
      else space.handleActionError(e, space.shell ? space.shell.err : formError());
    }
  }

  /** Sends a pending note now (leaving the page, closing the review). */
  async flush() {
    if (this.saveNote.pending()) {
      this.saveNote.cancel();
      await this.sendNote();
    }
  }
}
