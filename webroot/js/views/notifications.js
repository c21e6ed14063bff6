// Notification settings, a section of the account page: email (at once / daily / never), quiet
// hours in my own time zone, seen receipts (both must agree), and my own check-in rhythm.
import { h } from '../dom.js';
import { api } from '../api.js';
import { announce, formError } from '../ui.js';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function labelled(label, control, hint) {
  const id = `n-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint' }, hint) : null,
    control);
}

function select(name, options, value) {
  const el = h('select', { name, 'data-testid': `notify-${name}` });
  for (const [v, text] of options) el.appendChild(h('option', { value: v }, text));
  el.value = value;
  return el;
}

function timeInput(name, value) {
  return h('input', { type: 'time', name, value: value || '', 'data-testid': `notify-${name}` });
}

export function notificationSettings() {
  const section = h('section', { class: 'card', 'aria-labelledby': 'notify-title', 'data-testid': 'notification-settings' },
    h('h2', { id: 'notify-title' }, 'Staying in touch'),
    h('p', null, 'Loading your choices…'));
  load(section);
  return section;
}

async function load(section) {
  let s;
  try {
    s = await api.get('/api/me/notifications');
  } catch {
    section.lastChild.textContent = 'Your choices could not be loaded. Please try again later.';
    return;
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const email = select('email', [['never', 'Never'], ['instant', 'Soon after something arrives'], ['digest', 'Once a day, a short summary']], s.email);
  const digestAt = timeInput('digestAt', s.digestAt);
  const quiet = h('input', { type: 'checkbox', name: 'quiet', 'data-testid': 'notify-quiet' });
  quiet.checked = Boolean(s.quietHours);
  const quietFrom = timeInput('quietFrom', s.quietHours ? s.quietHours.from : '22:00');
  const quietTo = timeInput('quietTo', s.quietHours ? s.quietHours.to : '07:00');
  const receipts = h('input', { type: 'checkbox', name: 'receipts', 'data-testid': 'notify-receipts' });
  receipts.checked = Boolean(s.receipts);
  const every = select('every', [['off', 'No reminder'], ['daily', 'Every day'], ['weekly', 'Once a week']], s.checkin.every);
  const weekday = select('weekday', DAYS.map((d) => [d, d[0].toUpperCase() + d.slice(1)]), s.checkin.weekday);
  const at = timeInput('checkinAt', s.checkin.at);
  const channel = select('channel', [['app', 'Only in the app'], ['email', 'By email']], s.checkin.channel);
  const error = formError('notify-error');
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'notify-save' }, 'Save my choices');

  const form = h('form', { class: 'stack', novalidate: true },
    h('p', null, 'Emails never contain anything either of you wrote: only a name and a link.'),
    labelled('Email me about new shares, replies and our review', email),
    labelled('Daily summary at', digestAt),
    h('div', { class: 'field checkbox' }, h('label', null, quiet, ' Quiet hours (no email)')),
    labelled('Quiet from', quietFrom), labelled('Quiet until', quietTo),
    h('p', { class: 'hint' }, `Times are in your time zone, ${zone}.`),
    h('div', { class: 'field checkbox' }, h('label', null, receipts, ' Seen receipts')),
    h('p', { class: 'hint' }, 'Your partner sees that you opened their share, and you see the same, only if you both turn this on.'),
    labelled('A reminder to check in with yourself', every),
    labelled('On', weekday), labelled('At', at), labelled('How', channel),
    error.el, h('div', { class: 'button-row' }, save));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.clear();
    save.disabled = true;
    try {
      await api.put('/api/me/notifications', {
        email: email.value,
        digestAt: digestAt.value,
        zone,
        quietHours: quiet.checked ? { from: quietFrom.value, to: quietTo.value } : null,
        receipts: receipts.checked,
        checkin: { every: every.value, weekday: weekday.value, at: at.value, channel: channel.value },
      });
      announce('Your choices are saved.');
    } catch (err) {
      error.show(err);
    } finally {
      save.disabled = false;
    }
  });
  section.replaceChildren(section.firstChild, form);
}
