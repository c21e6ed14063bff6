// The share composer opened on a held draft (#/share/held/<id>, docs/PROMPTS.md "Held for later"):
// the held share put back into the form, and what one can do with it from the preview: send now,
// keep holding (remind again later, or not), or let it go. The held words stay sealed in this
// browser throughout; only sending shows them to the partner.
import { h } from './dom.js';
import { heldItem, deleteHeld } from './holding.js';
import { keepHolding } from './heldremind.js';
import { button, announce } from './ui.js';
import { navigate } from './app.js';

/** The held share to compose from, or an error in words when it cannot be opened here. */
export async function loadHeldShare(id) {
  let item;
  try {
    item = await heldItem(id);
  } catch (e) {
    if (e && e.status === 404) throw new Error('This held share is no longer here. It may have been sent or let go on another device.');
    throw e;
  }
  if (item.sealedError) throw new Error('This held share could not be opened on this device.');
  if (item.type !== 'share' || !item.share || !item.shareId) throw new Error('This is not a held share.');
  return item;
}

/**
 * Puts the held share back into the composer's controls: each passage from a reflection's answer
 * into its ticked row, passages of one's own words into the free text.
 */
export function prefill(share, { rows, title, intents, note, own }) {
  title.value = share.title || '';
  if (share.intent) intents.set(share.intent);
  note.value = share.note || '';
  const ownWords = [];
  for (const x of share.excerpts || []) {
    const row = x.stepId ? rows.find((r) => r.step.id === x.stepId && !r.check.checked) : null;
    if (row) {
      row.check.checked = true;
      row.check.dispatchEvent(new Event('change'));
      row.words.value = x.text || '';
    } else if (x.text) {
      ownWords.push(x.text);
    }
  }
  own.value = ownWords.join('\n\n');
}

/** Below the preview of a held draft: keep holding, or let it go. */
export function heldActions(held, error) {
  const drop = button('Let it go', { 'data-testid': 'held-delete' });
  drop.addEventListener('click', async () => {
    error.clear();
    drop.disabled = true;
    try {
      await deleteHeld(held.id);
      announce('Let go. Nothing was sent.');
      navigate('#/held');
    } catch (e) { error.show(e); drop.disabled = false; }
  });
  return h('section', { class: 'card stack', 'data-testid': 'held-actions', 'aria-labelledby': 'held-actions-title' },
    h('h3', { id: 'held-actions-title' }, 'Not yet?'),
    h('p', { class: 'hint' }, 'This is still held, just for you. Your partner cannot see it, or tell that it exists.'),
    keepHolding(held.id, { error, onDone: () => navigate('#/held') }),
    h('div', { class: 'button-row' }, drop));
}

/** After sending: the held draft has done its work (its reminder goes with it). */
export async function sentFromHeld(held) {
  await deleteHeld(held.id);
}
