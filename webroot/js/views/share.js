// Compose a share: choose answers, reword them, add intent and note, preview, confirm.
import { h, replaceChildren, uuid, uid } from '../dom.js';
import { api, listOf } from '../api.js';
import { session, catalog, partnerName } from '../store.js';
import { navigate } from '../app.js';
import { isAnswered, formatAnswer } from '../answers.js';
import { staticShareCard, intentRadios } from '../sharecard.js';
import { pageHeader, loading, formError, button, announce, field, notPairedPanel } from '../ui.js';
import { speakForPanel } from '../speakfor-ui.js';
import { selfEnergyCheck } from '../selfenergy.js';
import { loadHeldShare, prefill, heldActions, sentFromHeld } from '../heldcompose.js';

const MAX_EXCERPTS = 20;

export default {
  title: 'Share with your partner',
  render(root, [reflectionId, heldId]) {
    // #/share/held/<id>: the composer opened on a held draft (heldcompose.js).
    const heldMode = reflectionId === 'held';
    const free = heldMode || !reflectionId || reflectionId === 'free';
    const body = h('div', { class: 'stack' });
    root.appendChild(h('div', { class: 'stack' },
      pageHeader(heldMode ? 'Something you held' : free ? 'Share something' : 'Share from your reflection',
        'You choose exactly what your partner sees. Your reflection itself stays private, and later changes to it never reach them.'),
      body));
    let composer = null;
    const show = () => {
      if (!session.state.couple) {
        composer = null;
        replaceChildren(body, notPairedPanel('what you choose to share'));
      } else if (!composer) {
        composer = new Composer(body, free ? null : reflectionId, heldMode ? heldId : null);
      }
    };
    show();
    const unwatch = session.watch(show);
    return () => { unwatch(); if (composer) composer.alive = false; };
  },
};

class Composer {
  constructor(container, reflectionId, heldId = null) {
    this.container = container;
    this.reflectionId = reflectionId;
    this.heldId = heldId;
    this.held = null;
    this.shareId = uuid(); // one id per composition, so a retried PUT never shares twice
    this.alive = true;
    replaceChildren(container, loading());
    this.load();
  }

  async load() {
    try {
      let picks = [];
      let exercise = null;
      if (this.heldId) {
        this.held = await loadHeldShare(this.heldId);
        this.shareId = this.held.shareId; // sending it later is the same share, never a second one
        this.reflectionId = this.held.share.reflectionId || null;
      }
      if (this.reflectionId) {
        const reflection = await api.reflection(this.reflectionId);
        if (reflection.sealedError) throw new Error('This reflection could not be opened on this device, so nothing from it can be shared.');
        exercise = await catalog.exercise(reflection.exerciseId);
        const steps = exercise.steps || [];
        let parts = new Map();
        if (steps.some((s) => s.kind === 'part')) {
          parts = new Map(listOf(await api.parts().catch(() => ({})), 'parts').map((p) => [p.id, p]));
        }
        const answers = reflection.answers || {};
        picks = steps.filter((s) => isAnswered(answers[s.id]))
          .map((s) => ({ step: s, text: formatAnswer(s, answers[s.id], parts) }));
      }
      if (!this.alive) return;
      this.build(exercise, picks);
    } catch (e) {
      if (!this.alive) return;
      const err = formError('share-load-error');
      err.show(e.status === 404 ? "We couldn't find that reflection." : e);
      replaceChildren(this.container, err.el, this.heldId ? h('p', null, h('a', { href: '#/held' }, 'Back to what you are holding'))
        : h('p', null, h('a', { href: '#/reflections' }, 'Back to your reflections')));
    }
  }

  build(exercise, picks) {
    const error = formError('share-error');
    const title = h('input', { type: 'text', maxlength: '200', 'data-testid': 'share-title', value: exercise ? exercise.title : '' });
    const rows = picks.map(({ step, text }) => {
      const check = h('input', { type: 'checkbox', id: uid('pick'), 'data-testid': 'share-pick-check' });
      const words = h('textarea', { rows: '4', maxlength: '20000', 'data-testid': 'share-pick-text', value: text });
      const wordsField = field('What your partner will read (you can reword it)', words);
      wordsField.hidden = true;
      check.addEventListener('change', () => { wordsField.hidden = !check.checked; if (check.checked) words.focus(); });
      return {
        step, check, words,
        el: h('div', { class: 'share-pick', 'data-testid': 'share-pick', 'data-step-id': step.id },
          h('div', { class: 'checkbox' }, check, h('label', { for: check.id }, step.prompt)),
          h('p', { class: 'muted small pick-original' }, 'Your answer: ', text),
          wordsField),
      };
    });
    const own = h('textarea', { rows: this.reflectionId ? '3' : '8', maxlength: '20000', 'data-testid': 'share-free-text' });
    const intents = intentRadios('listen', 'share-intent');
    const note = h('textarea', { rows: '2', maxlength: '20000', 'data-testid': 'share-note' });
    const previewBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'share-preview' }, 'Preview');

    const form = h('form', { class: 'card share-compose', novalidate: true, 'data-testid': 'share-form' },
      this.reflectionId
        ? h('fieldset', { class: 'pick-group', 'data-testid': 'share-picks' },
          h('legend', null, 'Choose what to share'),
          rows.length
            ? [h('p', { class: 'hint' }, 'Tick the answers you want to share. Only the words in the boxes below them are shared.'), rows.map((r) => r.el)]
            : h('p', null, 'This reflection has no answers yet. You can still write something in your own words below.'))
        : null,
      field(this.reflectionId ? 'Something in your own words' : 'What would you like to share?', own,
        { optional: Boolean(this.reflectionId), hint: this.reflectionId ? 'Added as its own passage.' : 'Take your time. Your partner sees only what you write here.' }),
      field('Title', title, { hint: 'A few words your partner sees first.' }),
      intents.el,
      field(`A note to ${partnerName()}`, note, { optional: true, hint: 'For example, when would be a good moment to talk about it.' }),
      speakForPanel(() => [...rows.map((r) => r.words), own, note]),
      error.el,
      h('div', { class: 'button-row' }, previewBtn, h('a', { href: '#/joint', class: 'btn' }, 'Cancel')));

    const previewArea = h('section', { class: 'stack preview', 'data-testid': 'share-preview-area', hidden: true, 'aria-labelledby': 'preview-title' });

    const collect = () => {
      const excerpts = rows.filter((r) => r.check.checked).map((r) => ({ stepId: r.step.id, text: r.words.value.trim() }));
      if (own.value.trim()) excerpts.push({ text: own.value.trim() });
      const share = {
        title: title.value.trim(),
        excerpts,
        intent: intents.value(),
      };
      if (note.value.trim()) share.note = note.value.trim();
      if (this.reflectionId) share.reflectionId = this.reflectionId;
      return share;
    };

    const validate = (share) => {
      const chosenEmpty = rows.find((r) => r.check.checked && !r.words.value.trim());
      if (chosenEmpty) return { message: 'One of the answers you ticked has no words left. Add some, or untick it.', focus: chosenEmpty.words };
      if (!share.excerpts.length) {
        return { message: this.reflectionId ? 'Choose at least one answer, or write something in your own words.' : 'Write something to share first.', focus: rows.length ? rows[0].check : own };
      }
      if (share.excerpts.length > MAX_EXCERPTS) return { message: `You can share up to ${MAX_EXCERPTS} passages at once.`, focus: rows[0].check };
      if (!share.title) return { message: 'Please give it a title.', focus: title, field: 'title' };
      return null;
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      const share = collect();
      const problem = validate(share);
      if (problem) {
        error.show(problem, { title });
        problem.focus.focus();
        return;
      }
      this.showPreview(share, form, previewArea);
    });

    replaceChildren(this.container, form, previewArea);
    if (this.held) {
      prefill(this.held.share, { rows, title, intents, note, own });
      const share = collect();
      if (!validate(share)) this.showPreview(share, form, previewArea);
    }
  }

  showPreview(share, form, area) {
    const me = session.state.user;
    const error = formError('share-confirm-error');
    const heading = h('h2', { id: 'preview-title', tabindex: '-1' }, 'Preview');
    const confirm = button(this.held ? `Send to ${partnerName()} now` : 'Share it', { kind: 'primary', 'data-action': 'confirm-share', 'data-testid': 'share-confirm' });
    const back = button('Change something', {
      'data-action': 'back-to-edit',
      'data-testid': 'share-back',
      onClick: () => { area.hidden = true; form.hidden = false; form.querySelector('input, textarea').focus(); },
    });
    confirm.addEventListener('click', async () => {
      error.clear();
      confirm.disabled = true;
      back.disabled = true;
      try {
        await api.saveShare(this.shareId, share);
        if (this.held) await sentFromHeld(this.held);
        announce(`Shared with ${partnerName()}.`);
        navigate('#/joint');
      } catch (e) {
        error.show(e);
        if (e.code === 'not_paired' || e.status === 404) session.set({ couple: null });
      } finally {
        confirm.disabled = false;
        back.disabled = false;
      }
    });
    const preview = {
      ...share,
      id: this.shareId,
      authorId: me && me.id,
      createdAt: new Date().toISOString(),
      counseling: false,
      responses: [],
    };
    replaceChildren(area,
      heading,
      h('p', null, `This is exactly what ${partnerName()} will see.`),
      staticShareCard(preview, { authorName: me && me.displayName, testid: 'share-preview-card' }),
      selfEnergyCheck({ shareId: this.shareId, share, onHeld: () => navigate('#/held'), held: this.held }),
      error.el,
      h('div', { class: 'button-row' }, confirm, back),
      this.held ? heldActions(this.held, error) : null);
    form.hidden = true;
    area.hidden = false;
    heading.focus();
  }
}
