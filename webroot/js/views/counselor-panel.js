// "Counselor access" on the joint review page (docs/COUNSELOR.md): propose a read-only,
// time-limited link to one review for a counselor, agree to the partner's proposal, end one, and
// see when the counselor's view was opened. The link's secret is shown once, right after
// proposing; the server keeps only its hash.
import { h, replaceChildren, fmtDateTime, fmtDate, uid, keepFocus } from '../dom.js';
import { request, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { session, nameOf, partnerName } from '../store.js';
import { field, formError, button, confirmDialog, announce } from '../ui.js';

const STATUS = {
  pending: 'Waiting for agreement',
  active: 'Active',
  revoked: 'Ended',
  expired: 'Expired',
};

const grantsApi = {
  list: () => request('GET', '/api/counselor-grants'),
  propose: (body) => request('POST', '/api/counselor-grants', body),
  consent: (id) => request('PUT', `/api/counselor-grants/${encodeURIComponent(id)}/consent`, {}),
  revoke: (id) => request('DELETE', `/api/counselor-grants/${encodeURIComponent(id)}`),
  reviews: () => request('GET', '/api/reviews'),
};

/** Mounts the panel; answers {el, destroy}. */
export function counselorPanel() {
  const panel = new CounselorPanel();
  return { el: panel.el, destroy: () => panel.destroy(), refresh: () => panel.load() };
}

class CounselorPanel {
  constructor() {
    this.alive = true;
    this.grants = [];
    this.reviews = [];
    this.error = formError('counselor-error');
    this.linkBox = h('div', { 'data-testid': 'counselor-link-box', hidden: true });
    this.list = h('ul', { class: 'item-list', 'data-testid': 'counselor-grants' });
    this.form = this.buildForm();
    // Shown once the reviews are known, so nothing can be proposed for no review.
    this.form.hidden = true;
    this.el = h('section', { class: 'card', 'aria-labelledby': 'counselor-title', 'data-testid': 'counselor-panel' },
      h('h2', { id: 'counselor-title' }, 'Counselor access'),
      h('p', { class: 'hint' }, 'You can let your counselor read one review — the agenda, what was shared, the responses and both of your notes — through a private link, for a limited time. It starts only when you both agree, and either of you can end it at any time. Nothing private is ever in it.'),
      this.error.el,
      this.form,
      this.linkBox,
      h('h3', null, 'Links'),
      this.list);
    this.unsubs = [
      onEvents(['counselor.proposed', 'counselor.activated', 'counselor.revoked', 'counselor.expired', 'counselor.opened',
        'review.started', 'review.closed'], () => this.load()),
      onResync(['couple'], () => this.load()),
    ];
    this.load();
  }

  destroy() {
    this.alive = false;
    for (const u of this.unsubs) u();
  }

  async load() {
    const request = (this.loading = (this.loading || 0) + 1);
    try {
      const [grants, reviews] = await Promise.all([grantsApi.list(), grantsApi.reviews()]);
      if (!this.alive || request !== this.loading) return;
      this.grants = listOf(grants, 'grants');
      this.reviews = listOf(reviews, 'reviews');
      this.render();
    } catch (e) {
      if (this.alive && e.code !== 'not_paired') this.error.show(e);
    }
  }

  buildForm() {
    this.reviewSelect = h('select', { 'data-testid': 'counselor-review' });
    this.label = h('input', { type: 'text', maxlength: '100', autocomplete: 'off', 'data-testid': 'counselor-label' });
    this.days = h('input', { type: 'number', min: '1', max: '90', step: '1', value: '14', inputmode: 'numeric', 'data-testid': 'counselor-days' });
    this.formError = formError('counselor-propose-error');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'counselor-propose' }, 'Propose a counselor link');
    const form = h('form', { class: 'stack', 'data-testid': 'counselor-form', novalidate: true },
      field('Review to share', this.reviewSelect),
      field('Who is it for?', this.label, { optional: true, hint: 'For example “Dr. Rivera”. Only the two of you and the counselor see it.' }),
      field('Days the link works', this.days, { hint: 'From today; at most 90 days.' }),
      this.formError.el,
      h('div', { class: 'button-row' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      this.formError.clear();
      const days = Number(this.days.value);
      if (!Number.isInteger(days) || days < 1 || days > 90) {
        this.formError.show({ message: 'Choose between 1 and 90 days.', field: 'days' }, { days: this.days });
        this.days.focus();
        return;
      }
      submit.disabled = true;
      try {
        const label = this.label.value.trim();
        const result = await grantsApi.propose({ reviewId: this.reviewSelect.value, days, ...(label ? { label } : {}) });
        this.label.value = '';
        this.showLink(result);
        this.load();
      } catch (err) {
        this.formError.show(err, { label: this.label, days: this.days, reviewId: this.reviewSelect });
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  /** The link, once: it cannot be shown again (the server keeps only a hash of its secret). */
  showLink(result) {
    const url = `${location.origin}${result.path}`;
    const inputId = uid('link');
    const input = h('input', { id: inputId, type: 'text', readOnly: true, value: url, class: 'code-input', 'data-testid': 'counselor-link' });
    const state = h('p', { class: 'status-line', role: 'status', 'data-testid': 'counselor-copy-state' });
    const copy = button('Copy the link', {
      'data-testid': 'counselor-copy',
      onClick: async () => {
        try {
          await navigator.clipboard.writeText(url);
          state.textContent = 'Copied.';
        } catch {
          input.select();
          state.textContent = 'Select the link and copy it by hand.';
        }
      },
    });
    const done = button('I have saved the link', {
      'data-testid': 'counselor-link-done',
      onClick: () => { this.linkBox.hidden = true; replaceChildren(this.linkBox); },
    });
    replaceChildren(this.linkBox,
      h('div', { class: 'notice-line', role: 'status' },
        h('p', { class: 'strong' }, 'Here is the link for your counselor. It is shown only this once.'),
        h('p', null, `It starts working when ${partnerName()} agrees. Keep it somewhere safe and pass it on privately; anyone with the link can read this review until it ends.`)),
      h('div', { class: 'field' }, h('label', { for: inputId }, 'Counselor link'), input),
      h('div', { class: 'button-row' }, copy, done),
      state);
    this.linkBox.hidden = false;
    input.focus();
    input.select();
    announce('Your counselor link is ready. It is shown only once.');
  }

  reviewName(reviewId) {
    const r = this.reviews.find((x) => x.id === reviewId);
    if (!r) return 'a review';
    return `${r.status === 'open' ? 'the review in progress' : 'the review'} of ${fmtDate(r.createdAt)}`;
  }

  render() {
    const selected = this.reviewSelect.value;
    replaceChildren(this.reviewSelect, this.reviews.map((r) => h('option', { value: r.id },
      `${r.status === 'open' ? 'In progress' : 'Closed'} · started ${fmtDateTime(r.createdAt)}`)));
    if (selected && this.reviews.some((r) => r.id === selected)) this.reviewSelect.value = selected;
    this.form.hidden = this.reviews.length === 0;
    keepFocus(this.list, () => replaceChildren(this.list, this.grants.length
      ? this.grants.map((g) => this.grantItem(g))
      : h('li', { class: 'empty', 'data-testid': 'counselor-none' }, this.reviews.length
        ? 'No counselor links yet.'
        : 'Start a review first; then you can share it with your counselor.')));
  }

  grantItem(g) {
    const me = session.state.user;
    const mine = me && g.proposedBy === me.id;
    const who = g.label || 'your counselor';
    const lines = [
      h('li', null, `${nameOf(g.proposedBy)} proposed it on ${fmtDateTime(g.createdAt)}.`),
      g.activatedAt ? h('li', null, `${nameOf(g.consentedBy)} agreed on ${fmtDateTime(g.activatedAt)}.`) : null,
      g.status === 'revoked' ? h('li', null, `${nameOf(g.endedBy)} ended it on ${fmtDateTime(g.endedAt)}.`) : null,
      g.status === 'expired' ? h('li', null, `It expired on ${fmtDateTime(g.endedAt || g.expiresAt)}.`) : null,
      g.status === 'pending' || g.status === 'active' ? h('li', null, `It ends by itself on ${fmtDateTime(g.expiresAt)}.`) : null,
    ];
    const opens = (g.opens || []).slice().reverse();
    const actions = [];
    if (g.status === 'pending' && !mine) {
      actions.push(button(['Agree', h('span', { class: 'visually-hidden' }, ` to the link for ${who}`)], {
        kind: 'primary',
        'data-testid': 'counselor-consent',
        'data-action': `consent-${g.id}`,
        onClick: () => this.act(() => grantsApi.consent(g.id), `The link for ${who} is active now.`),
      }));
    }
    if (g.status === 'pending' || g.status === 'active') {
      actions.push(button([g.status === 'pending' && mine ? 'Withdraw' : 'End access', h('span', { class: 'visually-hidden' }, ` for ${who}`)], {
        kind: 'quiet-danger',
        'data-testid': 'counselor-revoke',
        'data-action': `revoke-${g.id}`,
        onClick: async () => {
          const ok = await confirmDialog({
            title: `End access for ${who}?`,
            message: ['The link stops working at once, for good. You can propose a new one later if you both want.'],
            confirmLabel: 'End access',
            testid: 'confirm-counselor-revoke',
            onConfirm: () => grantsApi.revoke(g.id),
          });
          if (ok) { announce(`Access for ${who} has ended.`); this.load(); }
        },
      }));
    }
    return h('li', { class: 'list-item', 'data-testid': 'counselor-grant', 'data-grant-id': g.id, 'data-status': g.status },
      h('div', { class: 'stack' },
        h('p', { class: 'strong' }, h('span', { 'data-testid': 'counselor-grant-label' }, g.label || 'Counselor'), ` · ${this.reviewName(g.reviewId)}`),
        h('p', null, h('span', { class: 'badge', 'data-testid': 'counselor-grant-status' }, STATUS[g.status] || g.status),
          g.status === 'pending' ? (mine ? ` · waiting for ${partnerName()} to agree` : ' · your agreement is needed') : null),
        h('ul', { class: 'muted small' }, lines),
        h('div', null,
          h('p', { class: 'small strong' }, 'Opened by the counselor'),
          opens.length
            ? h('ul', { class: 'small', 'data-testid': 'counselor-opens' }, opens.map((o) => h('li', { 'data-testid': 'counselor-open' },
              `${fmtDateTime(o.at)} · ${o.client}`)))
            : h('p', { class: 'small muted', 'data-testid': 'counselor-not-opened' }, 'Not opened yet.')),
        actions.length ? h('div', { class: 'button-row' }, actions) : null));
  }

  async act(call, done) {
    this.error.clear();
    try {
      await call();
      announce(done);
    } catch (e) {
      this.error.show(e);
    }
    this.load();
  }
}
