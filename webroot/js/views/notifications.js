// Notification settings, a section of the account page: email (at once / daily / never), quiet
// hours in my own time zone, seen receipts (both must agree), and my own check-in rhythm.
import { h } from '../dom.js';
import { api } from '../api.js';
import { announce, field, formError } from '../ui.js';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ZONE_MESSAGE = 'We don’t know that time zone. Please use a place name such as Europe/Berlin or America/New_York.';
const TIME_MESSAGE = 'Please give a time of day, such as 07:30.';
// The server names the field it refused; these say it in words a person can act on.
const FIELD_MESSAGES = {
  zone: ZONE_MESSAGE,
  digestAt: `The time of the daily summary is missing. ${TIME_MESSAGE}`,
  'quietHours.from': `When quiet hours begin is missing. ${TIME_MESSAGE}`,
  'quietHours.to': `When quiet hours end is missing. ${TIME_MESSAGE}`,
  'checkin.at': `The time of your check-in reminder is missing. ${TIME_MESSAGE}`,
};

function select(name, options, value) {
  const el = h('select', { name, 'data-testid': `notify-${name}` });
  for (const [v, text] of options) el.appendChild(h('option', { value: v }, text));
  el.value = value;
  return el;
}

function timeInput(name, value) {
  return h('input', { type: 'time', name, value: value || '', 'data-testid': `notify-${name}` });
}

function checkbox(name, checked, label) {
  const box = h('input', { type: 'checkbox', name, 'data-testid': `notify-${name}` });
  box.checked = Boolean(checked);
  return { box, el: h('div', { class: 'field checkbox' }, h('label', null, box, ` ${label}`)) };
}

/** The zones this browser knows, for suggestions; empty where the browser cannot list them. */
function knownZones() {
  try {
    return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  } catch {
    return [];
  }
}

/** An IANA region id the browser can use (the server checks it again); offsets such as +02:00 are not zones. */
export function validZone(zone) {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0);
    return true;
  } catch {
    return false;
  }
}

export function notificationSettings() {
  const section = h('section', { class: 'card', 'aria-labelledby': 'notify-title', 'data-testid': 'notification-settings' },
    h('h2', { id: 'notify-title' }, 'Staying in touch'),
    h('p', { role: 'status' }, 'Loading your choices…'));
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
  const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  // Never chosen (the default is UTC): suggest this device's zone.
  const zone = h('input', {
    type: 'text', name: 'zone', autocomplete: 'off', spellcheck: 'false', maxlength: '64', 'data-testid': 'notify-zone',
    value: s.zone && s.zone !== 'UTC' ? s.zone : deviceZone,
  });
  const zones = knownZones();
  const zoneList = zones.length > 0 ? h('datalist', { id: 'notify-zones' }, zones.map((z) => h('option', { value: z }))) : null;
  if (zoneList) zone.setAttribute('list', 'notify-zones');
  const email = select('email', [['never', 'Never'], ['instant', 'Soon after something arrives'], ['digest', 'Once a day, a short summary']], s.email);
  const digestAt = timeInput('digestAt', s.digestAt);
  const quiet = checkbox('quiet', Boolean(s.quietHours), 'Quiet hours (no email)');
  const quietFrom = timeInput('quietFrom', s.quietHours ? s.quietHours.from : '22:00');
  const quietTo = timeInput('quietTo', s.quietHours ? s.quietHours.to : '07:00');
  const receipts = checkbox('receipts', s.receipts, 'Seen receipts');
  const every = select('every', [['off', 'No reminder'], ['daily', 'Every day'], ['weekly', 'Once a week']], s.checkin.every);
  const weekday = select('weekday', DAYS.map((d) => [d, d[0].toUpperCase() + d.slice(1)]), s.checkin.weekday);
  const at = timeInput('checkinAt', s.checkin.at);
  const channel = select('channel', [['app', 'Only in the app'], ['email', 'By email']], s.checkin.channel);
  const error = formError('notify-error');
  const saved = h('p', { class: 'hint', 'data-testid': 'notify-saved', hidden: true }, 'Your choices are saved.');
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'notify-save' }, 'Save my choices');
  const fields = {
    zone, digestAt, 'quietHours.from': quietFrom, 'quietHours.to': quietTo, 'checkin.at': at,
    email, receipts: receipts.box, 'checkin.every': every, 'checkin.weekday': weekday, 'checkin.channel': channel,
  };

  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'notify-form' },
    h('p', null, 'Emails never contain anything either of you wrote: only a name and a link.'),
    field('Email me about new shares, replies and our review', email),
    field('Daily summary at', digestAt),
    quiet.el,
    field('Quiet from', quietFrom), field('Quiet until', quietTo),
    field('Your time zone', zone, { hint: `Times above and below are in this zone. This device is set to ${deviceZone}.` }),
    receipts.el,
    h('p', { class: 'hint' }, 'Your partner sees that you opened their share, and you see the same, only if you both turn this on.'),
    field('A reminder to check in with yourself', every),
    field('On', weekday), field('At', at), field('How', channel),
    error.el, saved, h('div', { class: 'button-row' }, save), zoneList);

  const problem = () => {
    const z = zone.value.trim();
    if (!validZone(z)) return { message: ZONE_MESSAGE, field: 'zone' };
    if (email.value === 'digest' && !TIME.test(digestAt.value)) return { message: FIELD_MESSAGES.digestAt, field: 'digestAt' };
    if (quiet.box.checked && !TIME.test(quietFrom.value)) return { message: FIELD_MESSAGES['quietHours.from'], field: 'quietHours.from' };
    if (quiet.box.checked && !TIME.test(quietTo.value)) return { message: FIELD_MESSAGES['quietHours.to'], field: 'quietHours.to' };
    if (every.value !== 'off' && !TIME.test(at.value)) return { message: FIELD_MESSAGES['checkin.at'], field: 'checkin.at' };
    return null;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.clear();
    saved.hidden = true;
    const wrong = problem();
    if (wrong) {
      error.show(wrong, fields);
      fields[wrong.field].focus();
      return;
    }
    const body = {
      email: email.value,
      zone: zone.value.trim(),
      quietHours: quiet.box.checked ? { from: quietFrom.value, to: quietTo.value } : null,
      receipts: receipts.box.checked,
      checkin: { every: every.value, weekday: weekday.value, channel: channel.value },
    };
    // An emptied time the choice does not use keeps what was saved.
    if (TIME.test(digestAt.value)) body.digestAt = digestAt.value;
    if (TIME.test(at.value)) body.checkin.at = at.value;
    save.disabled = true;
    try {
      const answer = await api.put('/api/me/notifications', body);
      zone.value = answer.zone;
      saved.hidden = false;
      announce('Your choices are saved.');
    } catch (err) {
      const message = err && err.field && FIELD_MESSAGES[err.field];
      error.show(message ? { message, field: err.field } : err, fields);
      if (err && err.field && fields[err.field]) fields[err.field].focus();
    } finally {
      save.disabled = false;
    }
  });
  section.replaceChildren(section.firstChild, form);
}
