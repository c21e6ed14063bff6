// The step-by-step exercise runner with autosave and version-conflict handling.
// Rule: nothing the person typed is ever thrown away without their choice.
import { h, replaceChildren, uid, uuid } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync, realtime } from '../realtime.js';
import { catalog, COMMON_EMOTIONS } from '../store.js';
import { navigate, unsavedGuards } from '../app.js';
import { isAnswered, formatAnswer, scaleBounds } from '../answers.js';
import { pageHeader, privacyNote, loading, formError, button, emotionPicker, announce, sealedErrorNote, field } from '../ui.js';
import { limitText } from '../textlimit.js';
import { fillsParts, partPreview, lastTimeBox, lastTimeOf, FIELD_LABELS } from '../partfill.js';
import { followUpsFor, checkinFrom } from '../followups.js';
import { fmtDate } from '../dom.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAVE_DELAY_MS = 800;

export default {
  title: 'Exercise',
  render(root, [exerciseId, reflectionId, stepId]) {
    if (!exerciseId) { navigate('#/exercises', true); return undefined; }
    if (!reflectionId || !UUID_RE.test(reflectionId)) {
      navigate(`#/run/${encodeURIComponent(exerciseId)}/${uuid()}`, true);
      return undefined;
    }
    const runner = new Runner(root, exerciseId, reflectionId, stepId);
    runner.start();
    return () => runner.destroy();
  },
};

class Runner {
  constructor(root, exerciseId, reflectionId, stepId) {
    this.root = root;
    this.askedStep = stepId;    // #/run/<exercise>/<reflection>/<step>: open at that step (a follow-up)
    this.title = '';            // a title of the person's own (sealed with the answers)
    this.exerciseId = exerciseId;
    this.id = reflectionId;
    this.answers = {};
    this.status = 'draft';
    this.version = undefined;   // the version last seen from the server
    this.dirty = false;         // local changes not yet acknowledged by the server
    this.inflight = null;
    this.again = false;
    this.conflict = null;       // the server's current reflection after a 409
    this.deletedElsewhere = false;
    this.retryDelay = 2000;
    this.timer = null;
    this.stepIndex = 0;
    this.finished = false;
    this.parts = [];
    this.alive = true;
    this.unsubs = [];
  }

  async start() {
    this.root.appendChild(loading('Opening your reflection…'));
    try {
      let existing = null;
      try {
        existing = await api.reflection(this.id);
      } catch (e) {
        if (e.status !== 404) throw e;
      }
      if (existing && existing.sealedError) {
        // Never edit over words this device cannot read: saving would replace them.
        replaceChildren(this.root, h('div', { class: 'stack', 'data-testid': 'runner' },
          pageHeader('This reflection'), sealedErrorNote(existing),
          h('p', null, h('a', { href: '#/reflections' }, 'Back to your reflections'))));
        return;
      }
      const exId = existing ? existing.exerciseId : this.exerciseId;
      const exercise = await catalog.exercise(exId);
      if (!this.alive) return;
      this.exercise = exercise;
      this.exerciseId = exercise.id;
      this.steps = Array.isArray(exercise.steps) ? exercise.steps : [];
      if (existing) this.adopt(existing);
      if (this.steps.some((s) => s.kind === 'part')) {
        this.parts = listOf(await api.parts().catch(() => ({ parts: [] })), 'parts');
      }
      if (!this.alive) return;
      if (existing && existing.status !== 'complete') {
        const firstOpen = this.steps.findIndex((s) => !isAnswered(this.answers[s.id]));
        this.stepIndex = firstOpen === -1 ? Math.max(0, this.steps.length - 1) : firstOpen;
      }
      const asked = this.askedStep ? this.steps.findIndex((s) => s.id === this.askedStep) : -1;
      if (asked >= 0) this.stepIndex = asked;
      const restored = this.restoreFromHistory();
      this.build();
      this.listen();
      if (restored === 'done') this.showDone(false);
    } catch (err) {
      if (!this.alive) return;
      const e = formError('runner-error');
      e.show(err.status === 404 ? "We couldn't find that exercise." : err);
      replaceChildren(this.root, h('div', { class: 'stack' },
        pageHeader('Exercise'), e.el, h('p', null, h('a', { href: '#/exercises' }, 'Back to the exercises'))));
    }
  }

  destroy() {
    this.alive = false;
    for (const u of this.unsubs) u();
    // Leaving the page must not lose words: send what is pending right away.
    clearTimeout(this.timer);
    if (this.dirty && !this.conflict && !this.deletedElsewhere) this.saveNow();
  }

  adopt(r) {
    this.answers = r.answers && typeof r.answers === 'object' ? { ...r.answers } : {};
    this.title = typeof r.title === 'string' ? r.title : '';
    if (this.titleInput && document.activeElement !== this.titleInput) this.titleInput.value = this.title;
    this.status = r.status || 'draft';
    this.version = r.version;
  }

  // ---------------------------------------------------------------- history: each step an entry
  // Entries of this runner hold {bwRunner: <reflection id>, step: i}, one per step from 0 up to the
  // step shown (and steps.length for the finish screen), so the browser's Back walks back a step at
  // a time and leaves the exercise only from the first; a reload finds its step in history.state.
  restoreFromHistory() {
    const st = history.state;
    const n = this.steps.length;
    if (st && st.bwRunner === this.id && Number.isInteger(st.step)) {
      if (st.step >= n && this.status === 'complete' && n) { this.stepIndex = n - 1; return 'done'; }
      this.stepIndex = Math.max(0, Math.min(n - 1, st.step));
      return 'step';
    }
    history.replaceState({ ...(st || {}), bwRunner: this.id, step: 0 }, '');
    for (let i = 1; i <= this.stepIndex; i += 1) history.pushState({ bwRunner: this.id, step: i }, '');
    return null;
  }

  onHistory(st) {
    if (!st || st.bwRunner !== this.id || !Number.isInteger(st.step) || !this.steps.length) return;
    const n = this.steps.length;
    if (st.step >= n) {
      if (this.status === 'complete') this.showDone();
      return;
    }
    this.stepIndex = Math.max(0, Math.min(n - 1, st.step));
    this.showSteps();
    this.renderStep();
    this.focusStep();
  }

  showSteps() {
    if (!this.doneBox || this.doneBox.hidden) return;
    this.doneBox.hidden = true;
    this.stepBox.hidden = false;
    this.navRow.hidden = false;
  }

  // ---------------------------------------------------------------- layout
  build() {
    const ex = this.exercise;
    this.progressText = h('p', { class: 'progress-text', 'data-testid': 'runner-progress' });
    this.progressBar = h('progress', { max: String(Math.max(1, this.steps.length)), value: '0', 'aria-hidden': 'true' });
    this.saveState = h('p', { class: 'save-state', role: 'status', 'aria-live': 'polite', 'data-testid': 'save-state', 'data-state': 'idle' });
    this.conflictBox = h('div', { 'data-testid': 'conflict-area' });
    this.noticeBox = h('div');
    this.stepBox = h('section', { class: 'card step-card', 'data-testid': 'runner-step', 'aria-live': 'off' });
    this.error = formError('runner-error');
    this.backBtn = button('Back', { 'data-action': 'back', 'data-testid': 'runner-back', onClick: (e) => this.back(e) });
    // The second click of a double click (detail 2) is not a second "Next".
    this.nextBtn = button('Next', { kind: 'primary', 'data-action': 'next', 'data-testid': 'runner-next', onClick: (e) => this.go(1, e) });
    this.titleInput = h('input', { type: 'text', autocomplete: 'off', 'data-testid': 'runner-title', value: this.title });
    this.titleLimit = limitText(this.titleInput, { max: 200, label: 'The title' });
    this.titleInput.addEventListener('input', () => { this.title = this.titleInput.value; this.markDirty(); });
    const titleField = field('A title of your own', this.titleInput, { optional: true, hint: 'Only you see it, in your reflections.', class: 'runner-title' });
    titleField.append(...this.titleLimit.el);
    this.navRow = h('div', { class: 'runner-nav' }, this.backBtn, this.nextBtn);
    this.doneBox = h('section', { class: 'card done-card', 'data-testid': 'runner-done', hidden: true });

    replaceChildren(this.root, h('div', { class: 'stack runner', 'data-testid': 'runner', 'data-reflection-id': this.id },
      pageHeader(ex.title, ex.summary || ''),
      privacyNote('Only you can see this. Your answers save as you go.'),
      h('div', { class: 'runner-status' }, h('div', { class: 'progress' }, this.progressText, this.progressBar), this.saveState),
      this.conflictBox,
      this.noticeBox,
      titleField,
      this.stepBox,
      this.error.el,
      this.navRow,
      this.doneBox,
      h('p', null, h('a', { href: '#/reflections', 'data-testid': 'runner-leave' }, 'Save and go to your reflections'))));
    if (this.version !== undefined) this.setSaveState('saved', 'Saved');
    if (!this.steps.length) {
      replaceChildren(this.stepBox, h('p', null, 'This exercise has no steps yet.'));
      this.navRow.hidden = true;
      return;
    }
    this.renderStep();
  }

  go(delta, e) {
    // A double click sends two clicks, the second with detail 2: it is not a second "Next".
    if ((e && e.detail > 1) || this.finishing) return;
    if (delta > 0 && this.stepIndex >= this.steps.length - 1) { this.finish(); return; }
    this.stepIndex = Math.min(this.steps.length - 1, Math.max(0, this.stepIndex + delta));
    history.pushState({ bwRunner: this.id, step: this.stepIndex }, '');
    this.renderStep();
    this.focusStep();
  }

  back(e) {
    if (e && e.detail > 1) return;
    if (this.stepIndex === 0) return;
    const st = history.state;
    // The entry before this one is the previous step: let the browser go there (popstate renders it).
    if (st && st.bwRunner === this.id && st.step === this.stepIndex) { history.back(); return; }
    this.stepIndex -= 1;
    history.replaceState({ bwRunner: this.id, step: this.stepIndex }, '');
    this.renderStep();
    this.focusStep();
  }

  renderStep() {
    const step = this.steps[this.stepIndex];
    const n = this.steps.length;
    this.progressText.textContent = `Step ${this.stepIndex + 1} of ${n}`;
    this.progressBar.value = this.stepIndex + 1;
    this.backBtn.disabled = this.stepIndex === 0;
    this.nextBtn.textContent = this.stepIndex === n - 1 ? 'Finish' : 'Next';
    this.nextBtn.setAttribute('data-testid', this.stepIndex === n - 1 ? 'runner-finish' : 'runner-next');
    const controlId = uid('answer');
    const labelled = step.kind === 'text' || step.kind === 'scale' || step.kind === 'part';
    const heading = h('h2', { class: 'step-prompt', tabindex: '-1', 'data-step-heading': '', 'data-testid': 'step-prompt' },
      labelled ? h('label', { for: controlId }, step.prompt) : step.prompt);
    replaceChildren(this.stepBox,
      heading,
      step.hint ? h('p', { class: 'hint step-hint' }, step.hint) : null,
      this.lastTimeNote(step),
      this.control(step, controlId));
    this.stepBox.setAttribute('data-step-id', step.id);
    // After the first step a phone shows the question first: title, note and progress compact (care.css).
    const runnerEl = this.root.querySelector('[data-testid="runner"]');
    if (runnerEl) runnerEl.toggleAttribute('data-compact', this.stepIndex > 0);
    this.stepBox.setAttribute('data-step-kind', step.kind);
  }

  control(step, id) {
    const value = this.answers[step.id];
    switch (step.kind) {
      case 'scale': return this.scaleControl(step, id, value);
      case 'emotions': {
        const options = Array.isArray(step.options) && step.options.length ? step.options : COMMON_EMOTIONS;
        return emotionPicker({
          // The step's hint already says how to choose; the group only needs a name (no instruction twice).
          label: 'Feelings',
          options,
          selected: Array.isArray(value) ? value : [],
          testid: 'step-emotions',
          onChange: (list) => this.setAnswer(step.id, list),
        }).el;
      }
      case 'part': return this.partControl(step, id, value);
      default: {
        const ta = h('textarea', {
          id, rows: '8', 'data-testid': 'step-text', value: typeof value === 'string' ? value : '',
        });
        // Registered first: an over-long insertion is refused before it becomes an answer.
        const limit = limitText(ta);
        ta.addEventListener('input', () => this.setAnswer(step.id, ta.value));
        return h('div', { class: 'text-answer' }, ta, limit.el);
      }
    }
  }

  scaleControl(step, id, value) {
    const { min, max } = scaleBounds(step);
    const has = typeof value === 'number';
    const shown = h('output', { for: id, class: 'scale-value', 'data-testid': 'step-scale-value' });
    const range = h('input', {
      id, type: 'range', min: String(min), max: String(max), step: '1',
      'data-testid': 'step-scale', value: String(has ? value : Math.round((min + max) / 2)),
    });
    const clearBtn = button('Clear', { 'data-action': 'clear-scale', class: 'btn-small' });
    const show = (v) => {
      shown.textContent = typeof v === 'number' ? String(v) : 'Not chosen yet';
      range.setAttribute('aria-valuetext', typeof v === 'number' ? String(v) : 'Not chosen yet');
      clearBtn.hidden = typeof v !== 'number';
    };
    range.addEventListener('input', () => {
      const v = Number(range.value);
      this.setAnswer(step.id, v);
      show(v);
    });
    clearBtn.addEventListener('click', () => { this.setAnswer(step.id, undefined); show(undefined); range.focus(); });
    show(has ? value : undefined);
    return h('div', { class: 'scale' },
      h('div', { class: 'scale-row' }, range, shown),
      h('div', { class: 'scale-labels', 'aria-hidden': 'true' },
        h('span', null, `${min}${step.minLabel ? ` · ${step.minLabel}` : ''}`),
        h('span', null, `${max}${step.maxLabel ? ` · ${step.maxLabel}` : ''}`)),
      step.minLabel || step.maxLabel
        ? h('p', { class: 'visually-hidden' }, `${min} means ${step.minLabel || 'the lowest'}; ${max} means ${step.maxLabel || 'the highest'}.`)
        : null,
      clearBtn);
  }

  /** The part this reflection is about, when it is one already on the map. */
  chosenPart() {
    const ps = this.steps.find((x) => x.kind === 'part');
    const ref = ps ? this.answers[ps.id] : null;
    return typeof ref === 'string' ? this.parts.find((p) => p.id === ref && !p.sealedError) || null : null;
  }

  /** On a step that fills a part field: what was written there about this part last time. */
  lastTimeNote(step) {
    if (!step.fills || step.fills === 'visitNote') return null;
    const last = lastTimeOf(this.chosenPart());
    const value = last && last.values[step.fills];
    if (!value) return null;
    return h('p', { class: 'last-time-note', 'data-testid': 'step-last-time' },
      h('span', { class: 'muted' }, `Last time${last.at ? ` (${fmtDate(last.at)})` : ''}: `), value);
  }

  partControl(step, id, value) {
    // Nothing is written to the parts map here: a new name waits in the answer as {name} until the
    // person confirms the preview at the end (issue #14).
    const select = h('select', { id, 'data-testid': 'step-part' });
    const lastBox = h('div', { 'data-testid': 'part-last-time-area' });
    const isNew = value && typeof value === 'object';
    replaceChildren(select,
      h('option', { value: '' }, this.parts.length ? 'Choose a part you have met before' : 'No parts on your map yet'),
      this.parts.filter((p) => !p.sealedError).map((p) => h('option', { value: p.id }, p.name)));
    select.value = typeof value === 'string' && this.parts.some((p) => p.id === value) ? value : '';
    const nameId = uid('newpart');
    const name = h('input', {
      id: nameId, type: 'text', maxlength: '100', autocomplete: 'off', 'data-testid': 'step-part-new-name',
      value: isNew ? String(value.name || '') : '',
    });
    const showLast = () => replaceChildren(lastBox, lastTimeBox(this.chosenPart()));
    select.addEventListener('change', () => {
      if (select.value) name.value = '';
      this.setAnswer(step.id, select.value || null);
      showLast();
    });
    name.addEventListener('input', () => {
      const n = name.value.trim();
      if (n) select.value = '';
      this.setAnswer(step.id, n ? { name: n } : null);
      showLast();
    });
    showLast();
    return h('div', { class: 'part-picker' },
      select,
      h('div', { class: 'inline-add' },
        h('label', { for: nameId }, 'Or name a new part'),
        name,
        h('p', { class: 'hint' }, 'A new part goes on your parts map only when you add it at the end.')),
      lastBox);
  }

  // ---------------------------------------------------------------- saving
  setAnswer(stepId, value) {
    if (isAnswered(value) || typeof value === 'number') this.answers[stepId] = value;
    else if (value === null && this.steps.find((s) => s.id === stepId && s.kind === 'part')) this.answers[stepId] = null;
    else delete this.answers[stepId];
    this.markDirty();
  }

  markDirty() {
    this.dirty = true;
    if (this.conflict) { this.renderConflict(); return; }
    if (this.deletedElsewhere) return;
    this.setSaveState('saving', 'Saving…');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  setSaveState(state, text) {
    if (!this.saveState) return;
    this.saveState.setAttribute('data-state', state);
    if (this.saveState.textContent !== text) this.saveState.textContent = text;
  }

  body() {
    const body = { exerciseId: this.exerciseId, answers: { ...this.answers }, status: this.status, title: this.title };
    if (this.version !== undefined) body.version = this.version;
    return body;
  }

  async saveNow(opts = {}) {
    clearTimeout(this.timer);
    if (this.conflict || this.deletedElsewhere) return;
    if (this.inflight) { this.again = true; await this.inflight.catch(() => {}); return; }
    if (!this.dirty) return;
    this.dirty = false;
    this.setSaveState('saving', 'Saving…');
    const body = this.body();
    // keepalive lets the request outlive a closing tab; browsers cap such bodies at 64 KiB.
    const keepalive = Boolean(opts.keepalive) && JSON.stringify(body).length < 40000; // sealed, it grows by a third
    const run = api.saveReflection(this.id, body, { keepalive });
    this.inflight = run;
    try {
      const saved = await run;
      if (saved && typeof saved.version === 'number') this.version = saved.version;
      this.retryDelay = 2000;
      if (!this.dirty) this.setSaveState('saved', 'Saved');
      this.error.clear();
    } catch (e) {
      this.dirty = true;
      if (e.code === 'version_conflict' && e.current) {
        this.showConflict(e.current);
      } else if (e.isRetryable) {
        this.setSaveState('error', e.isNetwork
          ? 'Not saved yet — you seem to be offline. We’ll keep trying, and your words stay here.'
          : 'Not saved yet — we’ll try again in a moment. Your words stay here.');
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.saveNow(), this.retryDelay);
        this.retryDelay = Math.min(30000, this.retryDelay * 2);
      } else {
        this.setSaveState('error', 'Not saved. Your words are still here.');
        if (this.alive) this.error.show(e);
      }
    } finally {
      this.inflight = null;
      if (this.again) {
        this.again = false;
        if (this.dirty && !this.conflict) this.saveNow();
      }
    }
  }

  async finish() {
    if (this.finishing) return;
    this.finishing = true;
    try {
      this.status = 'complete';
      this.markDirty();
      await this.saveNow();
      while (this.inflight) await this.inflight.catch(() => {});
      if (!this.alive) return;
      if (this.dirty || this.conflict) return; // the save state / conflict panel tells them what to do
      this.finished = true;
      history.pushState({ bwRunner: this.id, step: this.steps.length }, '');
      this.showDone();
    } finally {
      this.finishing = false;
    }
  }

  showDone(focus = true) {
    this.finished = true;
    this.stepBox.hidden = true;
    this.navRow.hidden = true;
    this.doneBox.hidden = false;
    const title = h('h2', { tabindex: '-1' }, 'You finished this reflection');
    const extras = h('div', { class: 'stack done-extras', 'data-testid': 'runner-done-extras' });
    // A moment to pause comes first; sharing is one of several equal choices after it, never the main button.
    replaceChildren(this.doneBox,
      title,
      h('p', null, 'Thank you for giving this time to yourself. It stays private unless you decide to share part of it.'),
      h('section', { class: 'pause', 'data-testid': 'runner-pause', 'aria-labelledby': 'pause-title' },
        h('h3', { id: 'pause-title' }, 'Take a moment'),
        h('p', null, 'Before you decide anything, you might let what you wrote settle. A few slow breaths, a hand on your chest, '
          + 'or simply noticing how you feel now. There is nothing you need to do with this today.')),
      extras,
      h('section', { class: 'done-choices', 'aria-labelledby': 'choices-title' },
        h('h3', { id: 'choices-title' }, 'When you are ready'),
        h('ul', { class: 'choice-list', 'data-testid': 'runner-choices' },
          h('li', null, h('a', { href: '#/reflections', class: 'btn', 'data-testid': 'runner-to-reflections' }, 'Keep it private for now')),
          h('li', null, h('a', { href: `#/share/${encodeURIComponent(this.id)}`, class: 'btn', 'data-testid': 'runner-share' }, 'Share something from this')),
          h('li', null, button('Read it again', {
            'data-action': 'reopen',
            'data-testid': 'runner-reopen',
            onClick: () => {
              const st = history.state;
              if (st && st.bwRunner === this.id && st.step > 0) { history.go(-st.step); return; }
              this.showSteps();
              this.stepIndex = 0;
              this.renderStep();
              this.focusStep();
            },
          })))));
    if (focus) title.focus();
    this.doneExtras(extras);
  }

  /** What finishing adds elsewhere: a part preview, follow-ups and offers, a logged check-in. */
  async doneExtras(box) {
    const ex = this.exercise;
    if (fillsParts(ex)) {
      const ps = ex.steps.find((x) => x.kind === 'part');
      box.appendChild(partPreview({
        exercise: ex,
        answers: this.answers,
        parts: this.parts,
        reflectionId: this.id,
        onWritten: (part) => {
          if (!this.parts.some((p) => p.id === part.id)) this.parts = [part, ...this.parts];
          else this.parts = this.parts.map((p) => (p.id === part.id ? part : p));
          if (ps && this.answers[ps.id] !== part.id) { this.answers[ps.id] = part.id; this.markDirty(); }
        },
        onChooseStep: () => this.jumpTo(ps.id),
      }));
    }
    try {
      if (ex.practice === 'checkin') {
        const r = await checkinFrom(ex, this.id, this.answers);
        if (!this.alive) return;
        box.appendChild(r.saved
          ? h('p', { class: 'saved-note', 'data-testid': 'runner-checkin-logged' }, 'Logged as a check-in. ',
            h('a', { href: '#/checkins' }, 'See your check-ins over time'))
          : h('p', { class: 'notice-line', 'data-testid': 'runner-checkin-missing' },
            r.missing === 'intensity'
              ? 'To log this as a check-in, choose how intense it feels. '
              : 'To log this as a check-in, name a feeling or write a few words. ',
            r.stepId ? button('Go to that step', { class: 'btn-small', onClick: () => this.jumpTo(r.stepId) }) : null));
      }
      const made = await followUpsFor(ex, this.id, this.answers);
      if (!this.alive || !made.length) return;
      box.appendChild(h('section', { class: 'followups-made', 'data-testid': 'runner-followups', 'aria-labelledby': 'followups-made-title' },
        h('h3', { id: 'followups-made-title' }, 'For later'),
        h('ul', { class: 'link-list' }, made.map((f) => h('li', { 'data-testid': 'runner-followup', 'data-type': f.type },
          f.type === 'offer'
            ? [`An offer to yourself: “${f.text}”. `, h('span', { class: 'muted' }, `We will ask how it went around ${fmtDate(f.dueAt)}.`)]
            : [`Come back to “${f.text}” `, h('span', { class: 'muted' }, `around ${fmtDate(f.dueAt)}. It will wait for you on Home.`)]))),
        h('p', null, h('a', { href: '#/offers', 'data-testid': 'runner-offers-link' }, 'Your offers to yourself'))));
    } catch (e) {
      if (!this.alive) return;
      const err = formError('runner-extras-error');
      err.show(e);
      box.appendChild(err.el);
    }
  }

  /** From the finish screen back to one step (each step between stays a history entry). */
  jumpTo(stepId) {
    const i = this.steps.findIndex((x) => x.id === stepId);
    if (i < 0) return;
    const st = history.state;
    // The finish screen's entry sits on top of one entry per step: walk back to the step's own.
    if (st && st.bwRunner === this.id && Number.isInteger(st.step) && st.step > i) { history.go(i - st.step); return; }
    this.showSteps();
    this.stepIndex = i;
    history.replaceState({ bwRunner: this.id, step: i }, '');
    this.renderStep();
    this.focusStep();
  }

  // ---------------------------------------------------------------- conflicts
  showConflict(current) {
    this.conflict = current;
    this.setSaveState('conflict', 'Not saved yet — this reflection was changed on another device.');
    this.renderConflict();
    const heading = this.conflictBox.querySelector('h2');
    if (heading) heading.focus();
  }

  renderConflict() {
    if (!this.conflict) { replaceChildren(this.conflictBox); return; }
    const other = this.conflict.answers || {};
    const byId = new Map(this.parts.map((p) => [p.id, p]));
    const steps = this.steps.filter((s) => isAnswered(this.answers[s.id]) || isAnswered(other[s.id]));
    const column = (title, answers, testid) => h('div', { class: 'compare-col', 'data-testid': testid },
      h('h3', null, title),
      steps.length ? h('dl', null, steps.map((s) => [
        h('dt', null, s.prompt),
        h('dd', { class: answers[s.id] !== other[s.id] ? 'differs' : null }, formatAnswer(s, answers[s.id], byId) || '(left empty)'),
      ])) : h('p', null, 'Nothing written yet.'));
    const box = h('section', { class: 'card conflict', 'data-testid': 'conflict', 'aria-labelledby': 'conflict-title' },
      h('h2', { id: 'conflict-title', tabindex: '-1' }, 'This reflection was changed on another device'),
      h('p', null, 'Nothing you typed here is lost. Compare the two versions and choose which one to keep.'),
      h('div', { class: 'compare' },
        column('Yours, on this device', this.answers, 'conflict-mine'),
        column('The other version', other, 'conflict-other')),
      h('div', { class: 'button-row' },
        button('Keep mine', { kind: 'primary', 'data-action': 'keep-mine', 'data-testid': 'conflict-keep-mine', onClick: () => this.keepMine() }),
        button('Use the other', { 'data-action': 'use-other', 'data-testid': 'conflict-use-other', onClick: () => this.useOther() })));
    replaceChildren(this.conflictBox, box);
  }

  keepMine() {
    this.version = this.conflict.version;
    this.conflict = null;
    this.renderConflict();
    this.dirty = true;
    this.saveNow();
    announce('Keeping your version.');
    this.focusStep();
  }

  useOther() {
    const current = this.conflict;
    this.conflict = null;
    this.renderConflict();
    this.adopt(current);
    this.dirty = false;
    this.setSaveState('saved', 'Saved');
    if (!this.finished) this.renderStep();
    announce('Now showing the other version.');
    this.focusStep();
  }

  focusStep() {
    const heading = this.stepBox && !this.stepBox.hidden && this.stepBox.querySelector('[data-step-heading]');
    if (heading) heading.focus();
  }

  // ---------------------------------------------------------------- live updates
  listen() {
    this.unsubs.push(onEvents(['reflection.saved', 'reflection.deleted'], (msg) => {
      const data = msg.data || {};
      if (data.id !== this.id) return;
      if (msg.kind === 'reflection.deleted') this.deletedRemotely();
      else this.savedRemotely(data);
    }));
    this.unsubs.push(onEvents(['part.saved'], (msg) => {
      const p = msg.data;
      if (!p || !p.id) return;
      if (!this.parts.some((x) => x.id === p.id)) this.parts = [p, ...this.parts];
      else this.parts = this.parts.map((x) => (x.id === p.id ? p : x));
    }));
    const onPop = (e) => this.onHistory(e.state);
    window.addEventListener('popstate', onPop);
    this.unsubs.push(() => window.removeEventListener('popstate', onPop));
    this.unsubs.push(onResync(['self'], async () => {
      try {
        this.savedRemotely(await api.reflection(this.id));
      } catch (e) {
        if (e.status === 404 && this.version !== undefined) this.deletedRemotely();
      }
    }));
    const save = (opts) => { if (this.dirty && !this.inflight && !this.conflict) this.saveNow(opts); };
    const retry = () => save();
    const onVisibility = () => { if (document.visibilityState === 'hidden') save({ keepalive: true }); };
    window.addEventListener('online', retry);
    realtime.addEventListener('state', retry);
    document.addEventListener('visibilitychange', onVisibility);
    const guard = () => this.dirty || Boolean(this.inflight);
    unsavedGuards.add(guard);
    this.unsubs.push(() => {
      window.removeEventListener('online', retry);
      realtime.removeEventListener('state', retry);
      document.removeEventListener('visibilitychange', onVisibility);
      // Keep warning until the final save has gone through.
      const drop = () => unsavedGuards.delete(guard);
      if (guard()) setTimeout(drop, 5000); else drop();
    });
  }

  savedRemotely(data) {
    if (!data || typeof data.version !== 'number' || data.sealedError) return;
    if (this.version !== undefined && data.version <= this.version) return; // our own save echoed back
    if (this.conflict) { this.conflict = data; this.renderConflict(); return; }
    if (this.dirty || this.inflight) return; // our next save meets the conflict and asks
    this.adopt(data);
    this.setSaveState('saved', 'Saved');
    if (!this.finished && this.steps.length) {
      this.renderStep();
      announce('This reflection was updated from another device.');
    }
  }

  deletedRemotely() {
    if (this.deletedElsewhere) return;
    this.deletedElsewhere = true;
    clearTimeout(this.timer);
    this.setSaveState('error', 'Not saving — this reflection was deleted on another device.');
    const heading = h('h2', { tabindex: '-1' }, 'This reflection was deleted on another device');
    replaceChildren(this.noticeBox, h('section', { class: 'card notice', 'data-testid': 'deleted-elsewhere' },
      heading,
      h('p', null, 'What you see here is still on this screen. You can keep it by saving it again, or let it go.'),
      h('div', { class: 'button-row' },
        button('Keep it and save again', {
          kind: 'primary',
          'data-action': 'resave',
          onClick: () => {
            this.deletedElsewhere = false;
            this.version = undefined;
            replaceChildren(this.noticeBox);
            this.markDirty();
            this.focusStep();
          },
        }),
        h('a', { href: '#/reflections', class: 'btn' }, 'Let it go'))));
    heading.focus();
  }
}
