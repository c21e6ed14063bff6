// "Hold this and remind me later" (docs/PROMPTS.md "Held for later"): when to be reminded of a held
// share. Only the time is told to the server (PUT /api/held/<id>/reminder), in the clear; the held
// words stay sealed (holding.js). By email too when the person's email setting is on: the email says
// only that something they held is waiting.
import { h, uid } from './dom.js';
import { request } from './http.js';
import { field, button, announce } from './ui.js';

const enc = encodeURIComponent;
const DAY = 24 * 60 * 60 * 1000;

export const LATER = [
  { id: 'evening', label: 'This evening' },
  { id: 'tomorrow', label: 'Tomorrow' },
  { id: 'days3', label: 'In 3 days' },
  { id: 'none', label: 'No reminder' },
];

/** The moment a choice names, from now: this evening at 19:00 (tomorrow's once past), tomorrow or in 3 days at 9:00. */
export function remindAtOf(choiceId, now = new Date()) {
  const at = new Date(now);
  if (choiceId === 'evening') {
    at.setHours(19, 0, 0, 0);
    if (at <= now) at.setDate(at.getDate() + 1);
    return at.toISOString();
  }
  const days = choiceId === 'tomorrow' ? 1 : choiceId === 'days3' ? 3 : null;
  if (days === null) return null;
  const day = new Date(now.getTime() + days * DAY);
  day.setHours(9, 0, 0, 0);
  return day.toISOString();
}

/** A labelled select of the choices; `testid` names it for tests. */
export function laterSelect(label, testid, selected = 'evening') {
  const select = h('select', { id: uid('later'), 'data-testid': testid },
    LATER.map((c) => h('option', { value: c.id, selected: c.id === selected }, c.label)));
  return { select, el: field(label, select) };
}

async function channel() {
  try {
    const s = await request('GET', '/api/me/notifications');
    return s && s.email && s.email !== 'never' ? 'email' : 'app';
  } catch {
    return 'app';
  }
}

/** Sets (or moves) the reminder of held item `id` to the choice, or removes it for "No reminder". */
export async function applyReminder(id, choiceId) {
  const dueAt = remindAtOf(choiceId);
  if (!dueAt) {
    try {
      await request('DELETE', `/api/held/${enc(id)}/reminder`);
    } catch (e) {
      if (!(e && e.status === 404)) throw e;
    }
    return null;
  }
  return request('PUT', `/api/held/${enc(id)}/reminder`, { dueAt, channel: await channel() });
}

/** "Keep holding": remind again later (or not), for the held view and the composer. */
export function keepHolding(id, { onDone, error }) {
  const { select, el } = laterSelect('Remind me again', 'held-keep-when', 'tomorrow');
  const keep = button('Keep holding', { 'data-testid': 'held-keep' });
  keep.addEventListener('click', async () => {
    if (error) error.clear();
    keep.disabled = true;
    try {
      const r = await applyReminder(id, select.value);
      announce(r ? 'Still held, just for you. We will remind you then.' : 'Still held, just for you, with no reminder.');
      if (onDone) onDone(r);
    } catch (e) {
      if (error) error.show(e);
    } finally {
      keep.disabled = false;
    }
  });
  return h('div', { class: 'stack keep-holding' }, el, h('div', { class: 'button-row' }, keep));
}
