// Answer apart, reveal together (docs/PROMPTS.md). #/prompts lists the couple's open prompts and
// the catalog to ask from; #/prompts/<id> is one prompt: answer it privately (the draft is sealed
// in this browser and autosaved as a held item), submit, and wait; when both answers are in, both
// appear here and in the joint space at the same moment, on both screens.
import { h, replaceChildren, uuid, debounce } from '../dom.js';
import { request } from '../http.js';
import { session, partnerName, nameOf } from '../store.js';
import { onEvents } from '../realtime.js';
import { navigate } from '../app.js';
import { promptCatalog } from '../promptcatalog.js';
import { heldItems, saveHeld, deleteHeld } from '../holding.js';
import { staticShareCard } from '../sharecard.js';
import { speakForPanel } from '../speakfor-ui.js';
import { pageHeader, loading, formError, button, announce, field, notPairedPanel, confirmDialog } from '../ui.js';

const enc = encodeURIComponent;
const PROMPT_EVENTS = ['prompt.proposed', 'prompt.updated', 'prompt.revealed', 'prompt.cancelled', 'share.created', 'share.withdrawn'];

export default {
  title: 'Answer apart',
  render(root, [id]) {
    const body = h('div', { class: 'stack' });
    root.appendChild(h('div', { class: 'stack' },
      pageHeader(id ? 'Answer apart' : 'Answer apart, reveal together',
        'Each of you answers on your own. Until both answers are in, your partner sees only whether you have answered, never what or how much. Then both appear at the same moment.'),
      body));
    let view = null;
    const show = () => {
      if (!session.state.couple) { view = null; replaceChildren(body, notPairedPanel('prompts to answer together')); return; }
      if (!view) view = id ? new AnswerPage(body, id) : new PromptList(body);
    };
    show();
    const unwatch = session.watch(show);
    return () => { unwatch(); if (view) view.stop(); };
  },
};

function statusText(prompt, userId) {
  return prompt.answered && prompt.answered[userId] ? 'answered' : 'not yet';
}

class PromptList {
  constructor(container) {
    this.container = container;
    this.list = h('div', { class: 'stack', 'data-testid': 'prompt-list', 'aria-live': 'polite' });
    this.error = formError('prompt-error');
    replaceChildren(container, loading());
    this.unsub = onEvents(PROMPT_EVENTS, () => this.refresh());
    this.build();
  }

  stop() { this.unsub(); }

  async build() {
    try {
      const catalog = await promptCatalog.load();
      const cards = catalog.map((p) => h('li', { class: 'card prompt-option', 'data-testid': 'prompt-option', 'data-catalog-id': p.id },
        h('h3', null, p.title),
        h('p', { class: 'muted' }, p.summary),
        p.kind === 'guided' ? h('p', { class: 'hint' }, `${p.questions.length} questions, one at a time.`) : null,
        button('Ask this together', { kind: 'primary', 'data-testid': 'prompt-propose', onClick: () => this.propose(p) })));
      replaceChildren(this.container,
        h('section', { class: 'stack', 'aria-labelledby': 'open-prompts' }, h('h2', { id: 'open-prompts' }, 'Waiting for answers'), this.list),
        this.error.el,
        h('section', { class: 'stack', 'aria-labelledby': 'ask-prompts' }, h('h2', { id: 'ask-prompts' }, 'Ask a question'),
          h('p', { class: 'hint' }, 'Either of you can ask. You both answer privately; nothing is shown until you both have.'),
          h('ul', { class: 'stack plain-list' }, cards)));
      await this.refresh();
    } catch (e) {
      this.error.show(e);
      replaceChildren(this.container, this.error.el);
    }
  }

  async refresh() {
    const data = await request('GET', '/api/prompts');
    const me = session.state.user;
    const partner = (session.state.couple.members || []).find((m) => m.id !== me.id);
    const open = (data.prompts || []).filter((p) => p.status === 'open');
    replaceChildren(this.list, open.length ? h('ul', { class: 'stack plain-list' }, open.map((p) => h('li', {
      class: 'card prompt-card', 'data-testid': 'prompt-card', 'data-prompt-id': p.id,
    },
    h('h3', null, p.title),
    h('p', null, 'You: ', h('strong', { 'data-testid': 'prompt-my-status' }, statusText(p, me.id)),
      ' · ', partner ? partner.displayName : 'Your partner', ': ',
      h('strong', { 'data-testid': 'prompt-partner-status' }, partner ? statusText(p, partner.id) : 'not yet')),
    h('div', { class: 'button-row' },
      h('a', { class: 'btn btn-primary', href: `#/prompts/${enc(p.id)}`, 'data-testid': 'prompt-open' },
        p.answered[me.id] ? 'See where it stands' : 'Answer privately'))))) : h('p', { class: 'muted', 'data-testid': 'prompt-none' }, 'Nothing is waiting. Ask a question below when you are ready.'));
  }

  async propose(p) {
    this.error.clear();
    const id = uuid();
    try {
      await request('PUT', `/api/prompts/${enc(id)}`, { promptId: p.id });
      announce(`Asked "${p.title}". ${partnerName()} will see it.`);
      navigate(`#/prompts/${enc(id)}`);
    } catch (e) { this.error.show(e); }
  }
}

class AnswerPage {
  constructor(container, id) {
    this.container = container;
    this.id = id;
    this.alive = true;
    this.error = formError('prompt-answer-error');
    replaceChildren(container, loading());
    this.unsub = onEvents(PROMPT_EVENTS, (msg) => {
      const d = msg.data || {};
      if (d.id === this.id || d.promptId === this.id) this.load();
    });
    this.load();
  }

  stop() { this.alive = false; this.unsub(); if (this.flush) this.flush(); }

  async load() {
    try {
      const prompt = await request('GET', `/api/prompts/${enc(this.id)}`);
      await promptCatalog.load();
      if (!this.alive) return;
      this.prompt = prompt;
      this.question = promptCatalog.find(prompt.promptId);
      if (prompt.status === 'revealed') return this.showRevealed();
      const me = session.state.user;
      if (prompt.answered[me.id]) return this.showWaiting();
      if (!this.form) await this.showForm();
    } catch (e) {
      if (!this.alive) return;
      if (e.status === 404) {
        replaceChildren(this.container, h('p', { 'data-testid': 'prompt-gone' }, 'This prompt was cancelled.'),
          h('p', null, h('a', { href: '#/prompts' }, 'Back to prompts')));
      } else { this.error.show(e); replaceChildren(this.container, this.error.el); }
    }
  }

  async draft() {
    const items = await heldItems().catch(() => []);
    return items.find((x) => x.type === 'prompt' && x.promptId === this.id) || null;
  }

  async showForm() {
    const draft = await this.draft();
    this.draftId = draft ? draft.id : uuid();
    this.draftVersion = draft ? draft.version : null;
    const saved = (draft && draft.answers) || {};
    const status = h('p', { class: 'muted small', 'data-testid': 'prompt-draft-status', 'aria-live': 'polite' },
      draft ? 'Your draft is saved, just for you.' : '');
    const boxes = this.question.questions.map((q) => {
      const box = h('textarea', { rows: '5', maxlength: '20000', 'data-testid': 'prompt-answer', 'data-question-id': q.id, value: saved[q.id] || '' });
      return { q, box, el: field(q.text, box, { hint: q.hint, optional: this.question.kind === 'guided' }) };
    });
    const save = async () => {
      const answers = {};
      for (const b of boxes) if (b.box.value.trim()) answers[b.q.id] = b.box.value;
      const item = await saveHeld(this.draftId, { type: 'prompt', promptId: this.id, title: this.question.title, answers }, this.draftVersion);
      this.draftVersion = item.version;
      status.textContent = 'Draft saved, just for you.';
    };
    let saving = Promise.resolve();
    const autosave = debounce(() => { saving = saving.then(save).catch(() => { status.textContent = 'Could not save the draft just now.'; }); }, 700);
    this.flush = () => autosave.flush ? autosave.flush() : null;
    for (const b of boxes) b.box.addEventListener('input', () => { status.textContent = 'Saving…'; autosave(); });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'prompt-submit' }, 'Submit my answer');
    const form = h('form', { class: 'card stack', novalidate: true, 'data-testid': 'prompt-form' },
      h('h2', null, this.question.title),
      h('p', { class: 'muted' }, this.question.summary),
      boxes.map((b) => b.el),
      speakForPanel(() => boxes.map((b) => b.box)),
      status, this.error.el,
      h('p', { class: 'hint' }, `After you submit, ${partnerName()} sees only that you have answered. You can withdraw it until both answers are in.`),
      h('div', { class: 'button-row' }, submit, button('Cancel this prompt', { 'data-testid': 'prompt-cancel', onClick: () => this.cancel() })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      this.error.clear();
      const answers = {};
      for (const b of boxes) if (b.box.value.trim()) answers[b.q.id] = b.box.value.trim();
      if (!Object.keys(answers).length) { this.error.show('Write an answer first.'); boxes[0].box.focus(); return; }
      submit.disabled = true;
      try {
        await saving;
        const result = await request('PUT', `/api/prompts/${enc(this.id)}/answer`, { answers });
        this.form = null;
        this.prompt = result;
        if (result.status === 'revealed') await this.showRevealed();
        else this.showWaiting();
      } catch (err) { this.error.show(err); } finally { submit.disabled = false; }
    });
    this.form = form;
    replaceChildren(this.container, form);
  }

  showWaiting() {
    this.form = null;
    const partner = (session.state.couple.members || []).find((m) => m.id !== session.state.user.id);
    const answered = partner && this.prompt.answered[partner.id];
    replaceChildren(this.container, h('section', { class: 'card stack', 'data-testid': 'prompt-waiting' },
      h('h2', null, this.question ? this.question.title : this.prompt.title),
      h('p', null, 'Your answer is in. ', partnerName(), ': ',
        h('strong', { 'data-testid': 'prompt-partner-status' }, answered ? 'answered' : 'not yet'), '.'),
      h('p', { class: 'hint' }, 'Both answers will appear here and in your joint space at the same moment.'),
      this.error.el,
      h('div', { class: 'button-row' },
        button('Withdraw my answer', { 'data-testid': 'prompt-withdraw', onClick: () => this.withdraw() }),
        button('Cancel this prompt', { 'data-testid': 'prompt-cancel', onClick: () => this.cancel() }))));
  }

  async showRevealed() {
    this.form = null;
    const share = this.prompt.shareId ? await request('GET', `/api/shares/${enc(this.prompt.shareId)}`).catch(() => null) : null;
    if (!this.alive) return;
    // The words live in the joint space now; the private draft has done its job.
    const draft = await this.draft();
    if (draft) deleteHeld(draft.id).catch(() => {});
    replaceChildren(this.container, h('section', { class: 'stack', 'data-testid': 'prompt-revealed' },
      h('h2', null, 'Both answers are in'),
      share ? staticShareCard(share, { testid: 'pair-card', withResponses: false })
        : h('p', { class: 'muted' }, 'These answers were withdrawn.'),
      h('p', null, h('a', { href: '#/joint', 'data-testid': 'prompt-to-joint' }, 'Respond in your joint space'))));
    announce('Both answers are in.');
  }

  async withdraw() {
    this.error.clear();
    try {
      await request('DELETE', `/api/prompts/${enc(this.id)}/answer`);
      announce('Your answer was withdrawn. Your draft is still here, just for you.');
      await this.showForm();
    } catch (e) { if (e.code === 'prompt_revealed') this.load(); else this.error.show(e); }
  }

  cancel() {
    confirmDialog({
      title: 'Cancel this prompt?',
      message: 'Any answer already given is discarded for both of you. Your private draft stays with you.',
      confirmLabel: 'Cancel the prompt',
      cancelLabel: 'Keep it',
      testid: 'confirm-cancel-prompt',
      onConfirm: async () => {
        try { await request('DELETE', `/api/prompts/${enc(this.id)}`); } catch (e) { if (e.status !== 404) throw e; }
        navigate('#/prompts');
      },
    });
  }
}
