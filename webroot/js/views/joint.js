// The joint space: both partners' shares, responses and counseling flags, live.
import { h, replaceChildren, uuid, uid, keepFocus } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { session, catalog, CollectionStore, nameOf, partnerName, ACKS } from '../store.js';
import { shareHeader, shareBody, responseList, applyShareEvent, intentRadios } from '../sharecard.js';
import { couplePage, loading, formError, button, confirmDialog, announce, field } from '../ui.js';
import { unread } from '../notify.js';

export default {
  title: 'Joint space',
  render(root) {
    return couplePage(root, {
      title: 'Your joint space',
      intro: 'Everything here is seen by both of you. Each share arrives with what its author hopes for.',
      notPairedWhat: 'what you share with each other',
      create: (container, coupleId) => new JointSpace(container, coupleId),
    });
  },
};

class JointSpace {
  constructor(container, coupleId) {
    this.coupleId = coupleId;
    this.store = new CollectionStore();
    this.cards = new Map();
    this.alive = true;
    this.list = h('div', { class: 'share-list', 'data-testid': 'share-list' });
    this.empty = h('div', { class: 'card empty', 'data-testid': 'joint-empty', hidden: true },
      h('p', null, 'Nothing has been shared yet. When either of you shares something, it appears here right away.'),
      h('p', null, 'You can share from any of ', h('a', { href: '#/reflections' }, 'your reflections'), ', or write something new.'));
    this.error = formError('joint-error');
    this.body = h('div', { class: 'stack' }, loading());
    // Notices of notify.js (a changed joint review) go here.
    this.notices = h('div', { class: 'stack', 'data-testid': 'joint-notices' });
    replaceChildren(container,
      h('div', { class: 'button-row' },
        h('a', { href: '#/share/free', class: 'btn btn-primary', 'data-testid': 'share-new' }, 'Share something'),
        h('a', { href: '#/review', class: 'btn' }, 'Joint review')),
      this.notices,
      this.error.el,
      this.body);
    this.unsubs = [
      this.store.watch((e) => this.render(e.detail)),
      onEvents(['share.created', 'share.updated', 'share.withdrawn', 'share.flagged', 'response.created', 'response.deleted'],
        (msg) => applyShareEvent(this.store, msg, () => this.load())),
      onResync(['couple'], () => this.load()),
    ];
    catalog.load().catch(() => {}).then(() => this.load());
  }

  destroy() {
    this.alive = false;
    for (const u of this.unsubs) u();
  }

  async load() {
    const mark = this.store.mark();
    try {
      const data = await api.shares();
      if (!this.alive) return;
      this.error.clear();
      this.loaded = true;
      this.store.replace(listOf(data, 'shares'), mark);
    } catch (e) {
      this.store.forget(mark);
      if (!this.alive) return;
      if (e.code === 'not_paired') { session.set({ couple: null }); return; }
      replaceChildren(this.body);
      this.error.show(e);
    }
  }

  /** The session changed (a name, say): show the names anew. */
  refresh() {
    for (const card of this.cards.values()) card.update(card.share, true);
  }

  render(detail = {}) {
    if (!this.loaded) return;
    if (!this.body.contains(this.list)) replaceChildren(this.body, this.empty, this.list);
    const items = this.store.list();
    this.empty.hidden = items.length > 0;
    const keep = new Set(items.map((s) => s.id));
    for (const [id, card] of this.cards) {
      if (!keep.has(id)) {
        const hadFocus = card.el.contains(document.activeElement);
        card.el.remove();
        this.cards.delete(id);
        const title = document.querySelector('[data-page-title]');
        if (hadFocus && title) title.focus();
      }
    }
    let ref = this.list.firstChild;
    for (const share of items) {
      let card = this.cards.get(share.id);
      if (!card) {
        card = new ShareCard(share, this.store);
        this.cards.set(share.id, card);
      } else {
        card.update(share);
      }
      if (card.el !== ref) this.list.insertBefore(card.el, ref);
      else ref = ref.nextSibling;
    }
    if (detail.type === 'add' && detail.live) {
      const card = this.cards.get(detail.id);
      const share = this.store.get(detail.id);
      if (card && share) {
        card.highlight();
        const me = session.state.user;
        if (!me || share.authorId !== me.id) announce(`New from ${nameOf(share.authorId)}: ${share.title}`);
      }
    }
    // Unread markers, "seen" and receipts follow what is on screen now (notify.js).
    unread.jointRendered(this);
  }
}

class ShareCard {
  constructor(share, store) {
    this.store = store;
    this.titleId = uid('share');
    this.head = h('div');
    this.content = h('div');
    this.responses = h('div');
    this.actions = h('div', { class: 'share-actions' });
    this.error = formError('share-card-error');
    this.editArea = h('div');
    this.commentArea = h('div', { id: uid('reply'), hidden: true, 'data-testid': 'reply-area' });
    // "New", "New reply" and "Opened" badges of notify.js; hidden while empty.
    this.notices = h('p', { class: 'badges share-notices', 'data-testid': 'share-notices', hidden: true });
    this.el = h('article', { class: 'card share-card', 'data-testid': 'share-card', 'data-share-id': share.id, 'aria-labelledby': this.titleId },
      this.notices, this.head, this.content, this.responses, this.actions, this.error.el, this.editArea, this.commentArea);
    this.buildCommentForm();
    this.update(share, true);
  }

  get me() { return session.state.user; }
  get mine() { return Boolean(this.me && this.share.authorId === this.me.id); }

  update(share, force = false) {
    const key = JSON.stringify(share);
    this.share = share;
    if (!force && key === this.key) return;
    this.key = key;
    this.el.setAttribute('data-mine', String(this.mine));
    this.el.setAttribute('data-counseling', String(Boolean(share.counseling)));
    keepFocus(this.el, () => {
      replaceChildren(this.head, shareHeader(share, { titleId: this.titleId }));
      replaceChildren(this.content, shareBody(share));
      replaceChildren(this.responses, responseList(share, {
        readOnly: false, myId: this.me && this.me.id, onDelete: (r) => this.deleteResponse(r),
      }));
      this.renderActions();
    });
    this.commentLabel.textContent = this.mine ? 'Your reply' : `Your reply to ${nameOf(share.authorId)}`;
  }

  highlight() {
    this.el.classList.add('is-new');
    setTimeout(() => this.el.classList.remove('is-new'), 6000);
  }

  renderActions() {
    const share = this.share;
    const myId = this.me && this.me.id;
    const myAck = (share.responses || []).find((r) => r.authorId === myId && r.kind === 'ack');
    // A pair (answers revealed together) holds both partners' words: both acknowledge, either withdraws, nobody edits.
    const pair = share.kind === 'pair';
    // Intent first (docs/SAFETY.md "A quieter joint space"): "just listen" offers acknowledgements
    // and a reply only on request; "respond" and "discuss" invite one.
    const listen = share.intent === 'listen';
    const invite = this.mine || pair ? null : h('p', { class: 'intent-hint', 'data-testid': 'intent-hint', 'data-intent': share.intent },
      listen ? `${nameOf(share.authorId)} asked you to just listen. An acknowledgement is often all that is needed.`
        : share.intent === 'discuss' ? `${nameOf(share.authorId)} would like to take this to counseling. You are welcome to reply now too.`
          : `${nameOf(share.authorId)} would like a response.`);
    const acks = this.mine && !pair ? null : h('div', { class: 'ack-row', role: 'group', 'aria-label': 'Acknowledge' },
      Object.entries(ACKS).map(([kind, label]) => h('button', {
        type: 'button',
        class: 'btn chip-btn',
        'aria-pressed': myAck && myAck.ack === kind ? 'true' : 'false',
        'data-action': `ack-${kind}`,
        'data-testid': `ack-${kind}`,
        onClick: () => this.acknowledge(kind),
      }, label)));
    const flag = h('button', {
      type: 'button',
      class: 'btn chip-btn',
      'aria-pressed': share.counseling ? 'true' : 'false',
      'data-action': 'flag',
      'data-testid': 'flag-toggle',
      onClick: () => this.toggleFlag(),
    }, share.counseling ? 'Flagged for counseling' : 'Bring to counseling');
    const open = !this.commentArea.hidden;
    const reply = h('button', {
      type: 'button',
      class: ['btn', !this.mine && !listen && !pair ? 'btn-primary' : 'btn-quiet'],
      'aria-expanded': String(open),
      'aria-controls': this.commentArea.id,
      'data-action': 'reply',
      'data-testid': 'reply-open',
      onClick: () => this.toggleReply(),
    }, !this.mine && listen ? 'Reply anyway' : 'Reply');
    const own = pair ? [
      button('Withdraw', { kind: 'quiet-danger', 'data-action': 'withdraw', 'data-testid': 'share-withdraw', onClick: () => this.withdraw() }),
    ] : this.mine ? [
      button('Edit', { 'data-action': 'edit', 'data-testid': 'share-edit', onClick: () => this.openEditor() }),
      button('Withdraw', { kind: 'quiet-danger', 'data-action': 'withdraw', 'data-testid': 'share-withdraw', onClick: () => this.withdraw() }),
    ] : null;
    replaceChildren(this.actions, invite, acks, h('div', { class: 'button-row' }, reply, flag, own));
  }

  /** The reply box stays folded until asked for. */
  toggleReply(open = this.commentArea.hidden) {
    this.commentArea.hidden = !open;
    const btn = this.actions.querySelector('[data-action="reply"]');
    if (btn) btn.setAttribute('aria-expanded', String(open));
    if (open) {
      const text = this.commentArea.querySelector('textarea');
      if (text) text.focus();
    } else if (btn) {
      btn.focus();
    }
  }

  buildCommentForm() {
    const text = h('textarea', { rows: '2', maxlength: '20000', 'data-testid': 'comment-text', 'data-focus-key': 'comment-text' });
    this.commentLabel = h('label', { for: text.id = uid('comment') }, 'Write a response');
    const err = formError('comment-error');
    const send = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'comment-submit' }, 'Send reply');
    const cancel = button('Cancel', { 'data-action': 'reply-cancel', 'data-testid': 'reply-cancel', onClick: () => this.toggleReply(false) });
    let rid = uuid();
    const form = h('form', { class: 'comment-form', novalidate: true, 'data-testid': 'comment-form' },
      h('div', { class: 'field' }, this.commentLabel, text), err.el, h('div', { class: 'button-row' }, send, cancel));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.clear();
      const value = text.value.trim();
      if (!value) { err.show('Write something first.'); text.focus(); return; }
      send.disabled = true;
      try {
        const result = await api.respond(this.share.id, rid, { kind: 'comment', text: value });
        rid = uuid();
        text.value = '';
        if (result && result.id === this.share.id) this.store.upsert(result);
        announce('Reply sent.');
        this.toggleReply(false);
      } catch (ex) {
        err.show(ex);
      } finally {
        send.disabled = false;
      }
    });
    replaceChildren(this.commentArea, form);
  }

  async acknowledge(kind) {
    this.error.clear();
    const myId = this.me && this.me.id;
    const existing = (this.share.responses || []).find((r) => r.authorId === myId && r.kind === 'ack');
    try {
      if (existing) {
        await api.deleteResponse(this.share.id, existing.id).catch((e) => { if (e.status !== 404) throw e; });
        this.removeResponseLocally(existing.id);
        if (existing.ack === kind) { announce('Acknowledgement taken back.'); return; }
      }
      const result = await api.respond(this.share.id, uuid(), { kind: 'ack', ack: kind });
      if (result && result.id === this.share.id) this.store.upsert(result);
      announce(`You said: ${ACKS[kind]}.`);
    } catch (e) {
      this.error.show(e);
    }
  }

  removeResponseLocally(rid) {
    const current = this.store.get(this.share.id);
    if (current) this.store.upsert({ ...current, responses: (current.responses || []).filter((r) => r.id !== rid) });
  }

  async deleteResponse(r) {
    this.error.clear();
    try {
      await api.deleteResponse(this.share.id, r.id).catch((e) => { if (e.status !== 404) throw e; });
      this.removeResponseLocally(r.id);
      announce('Your response was removed.');
      const next = this.actions.querySelector('[data-action="reply"]');
      if (next) next.focus();
    } catch (e) {
      this.error.show(e);
    }
  }

  async toggleFlag() {
    this.error.clear();
    const flag = !this.share.counseling;
    try {
      const result = await api.flagShare(this.share.id, flag);
      const current = this.store.get(this.share.id) || this.share;
      if (result && result.id === this.share.id) this.store.upsert(result);
      else this.store.upsert({ ...current, counseling: flag });
      announce(flag ? 'Flagged for counseling.' : 'No longer flagged for counseling.');
    } catch (e) {
      this.error.show(e);
    }
  }

  async withdraw() {
    const ok = await confirmDialog({
      title: 'Withdraw this share?',
      message: [`It disappears from the joint space for you and ${partnerName()}, and its words are erased, together with the responses to it.`,
        'Your private reflection is not affected.'],
      confirmLabel: 'Withdraw',
      danger: true,
      testid: 'confirm-withdraw',
      onConfirm: async () => {
        try { await api.withdrawShare(this.share.id); } catch (e) { if (e.status !== 404) throw e; }
      },
    });
    if (ok) {
      this.store.remove(this.share.id);
      announce('Your share was withdrawn.');
    }
  }

  openEditor() {
    const share = this.share;
    let version = share.version;
    const title = h('input', { type: 'text', maxlength: '200', 'data-testid': 'share-edit-title', value: share.title || '' });
    const prompts = catalog.promptsFor((share.excerpts || []).map((x) => x.stepId));
    const excerpts = (share.excerpts || []).map((x, i) => ({
      stepId: x.stepId || null,
      input: h('textarea', { rows: '4', maxlength: '20000', 'data-testid': 'share-edit-excerpt', value: x.text || '' }),
      label: prompts.get(x.stepId) || `Passage ${i + 1}`,
    }));
    const intents = intentRadios(share.intent, 'share-edit-intent');
    const note = h('textarea', { rows: '2', maxlength: '20000', 'data-testid': 'share-edit-note', value: share.note || '' });
    const err = formError('share-edit-error');
    const conflictBox = h('div');
    const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'share-edit-save' }, 'Save changes');
    const cancel = button('Cancel', { 'data-action': 'cancel-edit', 'data-testid': 'share-edit-cancel', onClick: () => close() });
    const heading = h('h3', { tabindex: '-1' }, 'Edit your share');
    const form = h('form', { class: 'share-edit', novalidate: true, 'data-testid': 'share-edit-form' },
      heading,
      h('p', { class: 'hint' }, 'Your partner sees the new version right away.'),
      field('Title', title),
      excerpts.map((x) => field(x.label, x.input)),
      intents.el,
      field('A note to your partner', note, { optional: true }),
      conflictBox, err.el,
      h('div', { class: 'button-row' }, save, cancel));
    const close = () => {
      replaceChildren(this.editArea);
      this.el.classList.remove('is-editing');
      const edit = this.el.querySelector('[data-action="edit"]');
      if (edit) edit.focus();
    };
    const fill = (s) => {
      title.value = s.title || '';
      (s.excerpts || []).forEach((x, i) => { if (excerpts[i]) excerpts[i].input.value = x.text || ''; });
      intents.set(s.intent);
      note.value = s.note || '';
    };
    const submit = async () => {
      err.clear();
      const body = {
        title: title.value.trim(),
        excerpts: excerpts.map((x) => ({ ...(x.stepId ? { stepId: x.stepId } : {}), text: x.input.value.trim() })),
        intent: intents.value(),
        version,
      };
      if (share.reflectionId) body.reflectionId = share.reflectionId;
      if (note.value.trim()) body.note = note.value.trim();
      if (!body.title) { err.show({ message: 'Please give it a title.', field: 'title' }, { title }); title.focus(); return; }
      if (body.excerpts.some((x) => !x.text)) { err.show('Every passage needs some words. To drop one, withdraw this share and share again.'); return; }
      save.disabled = true;
      try {
        const saved = await api.saveShare(share.id, body);
        this.store.upsert(saved);
        announce('Your share was updated.');
        close();
      } catch (e) {
        if (e.code === 'version_conflict' && e.current) {
          const t = h('p', { class: 'strong', tabindex: '-1' }, 'This share was changed on another device.');
          replaceChildren(conflictBox, h('div', { class: 'conflict inline-conflict', 'data-testid': 'share-conflict' },
            t,
            h('p', null, 'What you typed is still in the form.'),
            h('div', { class: 'button-row' },
              button('Keep mine', { kind: 'primary', 'data-testid': 'conflict-keep-mine', 'data-action': 'keep-mine', onClick: () => { version = e.current.version; replaceChildren(conflictBox); submit(); } }),
              button('Use the other', { 'data-testid': 'conflict-use-other', 'data-action': 'use-other', onClick: () => { version = e.current.version; fill(e.current); this.store.upsert(e.current); replaceChildren(conflictBox); title.focus(); } }))));
          t.focus();
        } else {
          err.show(e, { title, note });
        }
      } finally {
        save.disabled = false;
      }
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    this.el.classList.add('is-editing');
    replaceChildren(this.editArea, form);
    heading.focus();
  }
}
