// The Self-energy check before sharing: an optional moment to notice how calm, curious and
// compassionate one feels. When it is low, the app suggests waiting and offers to hold the share
// as a sealed private draft (holding.js) with a reminder (heldremind.js: only the time is told to
// the server); sharing anyway always stays possible.
import { h, replaceChildren, uid, uuid } from './dom.js';
import { SELF_ENERGY, selfEnergyIsLow } from './speakfor.js';
import { saveHeld } from './holding.js';
import { laterSelect, applyReminder } from './heldremind.js';
import { button, announce, formError } from './ui.js';

/**
 * The check, and the "hold this" choice; `share` is the composed share, sent later under `shareId`.
 * `held` ({id, version, heldAt}) when the composer was opened on a held draft: holding again updates it.
 */
export function selfEnergyCheck({ shareId, share, onHeld, held = null }) {
  const values = {};
  const error = formError('share-hold-error');
  const advice = h('div', { 'aria-live': 'polite', 'data-testid': 'self-energy-advice' });
  const sliders = SELF_ENERGY.map((q) => {
    const out = h('output', { 'data-testid': `self-energy-${q.id}-value` }, '–');
    const input = h('input', { type: 'range', min: '0', max: '10', step: '1', value: '5', id: uid('se'), 'data-testid': `self-energy-${q.id}` });
    input.setAttribute('aria-valuetext', 'not answered');
    input.addEventListener('input', () => {
      values[q.id] = Number(input.value);
      out.textContent = input.value;
      input.setAttribute('aria-valuetext', `${input.value} of 10`);
      update();
    });
    return h('div', { class: 'field' }, h('label', { for: input.id }, q.label), h('div', { class: 'range-row' }, h('span', { class: 'small muted' }, '0'), input, h('span', { class: 'small muted' }, '10'), out));
  });
  const later = laterSelect('Remind me', 'share-hold-when');
  const hold = button('Hold this and remind me later', { 'data-testid': 'share-hold', 'data-action': 'hold-share' });
  hold.addEventListener('click', async () => {
    error.clear();
    hold.disabled = true;
    try {
      const id = held ? held.id : uuid();
      const heldAt = held && held.heldAt ? held.heldAt : new Date().toISOString();
      await saveHeld(id, { type: 'share', shareId, share, heldAt }, held ? held.version : undefined);
      await applyReminder(id, later.select.value);
      announce('Held for later, just for you. Nothing was sent.');
      onHeld();
    } catch (e) { error.show(e); } finally { hold.disabled = false; }
  });
  function update() {
    if (SELF_ENERGY.some((q) => values[q.id] === undefined)) { replaceChildren(advice); return; }
    replaceChildren(advice, selfEnergyIsLow(values)
      ? h('p', { class: 'notice', 'data-testid': 'self-energy-low' },
        'It might help to wait a little. When a part of you is this stirred up, words can land harder than you mean them to. You can hold this privately and come back to it, or share it anyway.')
      : h('p', { class: 'muted', 'data-testid': 'self-energy-ok' }, 'You sound fairly steady. Share when you are ready.'));
  }
  return h('section', { class: 'card stack self-energy', 'data-testid': 'self-energy', 'aria-labelledby': 'self-energy-title' },
    h('h3', { id: 'self-energy-title' }, 'A moment with yourself (optional)'),
    h('p', { class: 'hint' }, 'How calm, curious and compassionate do you feel right now? Only you see this.'),
    sliders, advice,
    later.el,
    h('p', { class: 'hint' }, 'Only the time of the reminder is kept where the server can read it. If your emails are on, one comes then, saying only that something you held is waiting.'),
    error.el,
    h('div', { class: 'button-row' }, hold));
}
