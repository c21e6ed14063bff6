// Get help (docs/SAFETY.md): crisis and domestic-violence resources the operator lists in
// config/help.yaml, when couples work is not the right tool, and staying safe on this device.
// Reachable from every screen, signed in or not, locked or not.
import { h, replaceChildren, uid } from '../dom.js';
import { api } from '../api.js';
import { session } from '../store.js';
import { vault } from '../vault.js';
import { pageHeader, loading, formError, button } from '../ui.js';
import { quickExit, autoLockMinutes, setAutoLockMinutes, AUTO_LOCK_CHOICES } from '../care.js';
import { resetWelcome } from './welcome.js';

const KIND_LABEL = {
  emergency: 'Emergency',
  crisis: 'Crisis support',
  'domestic-violence': 'Domestic violence and abuse',
  support: 'Support',
};

export default {
  title: 'Get help',
  public: true,
  always: true,
  render(root) {
    const resources = h('div', { class: 'stack', 'data-testid': 'help-resources' }, loading('Loading the help lines…'));
    const emergency = h('p', { class: 'help-emergency-text', 'data-testid': 'help-emergency' },
      'If you or anyone else is in danger right now, call your local emergency number.');
    root.appendChild(h('div', { class: 'stack help-page' },
      pageHeader('Get help', 'You do not have to handle this alone. These services are free, confidential and used to calls like yours.'),
      h('section', { class: 'card help-emergency', 'aria-labelledby': 'help-now' },
        h('h2', { id: 'help-now' }, 'In danger right now?'),
        emergency),
      resources,
      notTheRightTool(),
      privateStaysPrivate(),
      onThisDevice()));

    let alive = true;
    api.get('/api/help').then((data) => {
      if (!alive) return;
      if (data && data.emergency) emergency.textContent = data.emergency;
      const regions = (data && Array.isArray(data.regions)) ? data.regions : [];
      replaceChildren(resources,
        data && data.note ? h('p', { class: 'card notice', 'data-testid': 'help-note' }, data.note) : null,
        regions.length ? h('h2', null, 'Help lines') : null,
        regions.map(region));
    }).catch((e) => {
      if (!alive) return;
      const err = formError('help-error');
      err.show('The list of help lines could not be loaded. Your local emergency number always works.');
      replaceChildren(resources, err.el);
      console.warn('help: could not load /api/help', e && e.message);
    });
    return () => { alive = false; };
  },
};

function region(r) {
  const headingId = uid('region');
  return h('section', { class: 'card help-region', 'aria-labelledby': headingId, 'data-testid': 'help-region', 'data-region': r.id },
    h('h3', { id: headingId }, r.name),
    h('ul', { class: 'help-list' }, (r.resources || []).map((x) => h('li', { class: 'help-resource', 'data-testid': 'help-resource', 'data-kind': x.kind },
      h('p', { class: 'help-name' }, h('strong', null, x.name), ' ', h('span', { class: 'badge' }, KIND_LABEL[x.kind] || x.kind)),
      x.about ? h('p', { class: 'muted' }, x.about) : null,
      h('p', { class: 'help-contact' },
        x.phone ? h('a', { href: `tel:${x.phone.replace(/[^0-9+]/g, '')}`, 'data-testid': 'help-phone' }, `Call ${x.phone}`) : null,
        x.sms ? [x.phone ? ' · ' : null, h('a', { href: `sms:${x.sms.replace(/[^0-9+]/g, '')}` }, `Text ${x.sms}`)] : null,
        x.url ? [(x.phone || x.sms) ? ' · ' : null, h('a', { href: x.url, rel: 'noopener noreferrer', target: '_blank' }, 'Website', h('span', { class: 'visually-hidden' }, ` of ${x.name} (opens in a new tab)`))] : null,
        x.hours ? h('span', { class: 'muted' }, ` · ${x.hours}`) : null)))));
}

function notTheRightTool() {
  return h('section', { class: 'card', 'aria-labelledby': 'help-not-safe', 'data-testid': 'help-not-safe' },
    h('h2', { id: 'help-not-safe' }, 'When couples work is not safe'),
    h('p', null, 'Bridgework is for two people who both feel safe with each other and want to reconnect. It is not the right tool, and it can make things more dangerous, if any of these are true for you:'),
    h('ul', { class: 'plain-list' },
      h('li', null, 'you are afraid of your partner, or your partner has hurt you, threatened you or frightened you;'),
      h('li', null, 'your partner controls your money, your phone, who you see or where you go;'),
      h('li', null, 'you hold back what you really think because you fear how your partner will react;'),
      h('li', null, 'you feel pressured to share, to stay, or to agree.')),
    h('p', null, 'None of this is your fault, and none of it is a communication problem that more sharing can fix. A domestic-violence service (listed above) can listen, help you think about your safety, and find support that is just for you. A counselor who knows about abuse will usually see each of you separately, not together.'),
    h('p', null, 'If you share in the joint space, share only what feels safe. You can withdraw a share at any time, and you can leave the joint space without giving a reason.'));
}

function privateStaysPrivate() {
  return h('section', { class: 'card', 'aria-labelledby': 'help-private' },
    h('h2', { id: 'help-private' }, 'Your private work stays private'),
    h('p', null, 'Your reflections, parts map and check-ins are sealed in your browser with your password before they leave it. Your partner cannot read them or tell that they exist, and neither can whoever runs this server.'),
    h('p', null, 'Someone who knows your password, or who picks up this device while your private space is open, could read them. Lock it when you step away, and use the quick exit if you need to leave in a hurry.'));
}

function onThisDevice() {
  const id = uid('autolock');
  const select = h('select', { id, 'data-testid': 'auto-lock', 'aria-describedby': `${id}-hint` },
    AUTO_LOCK_CHOICES.map((m) => h('option', { value: String(m), selected: m === autoLockMinutes() },
      m === 0 ? 'Never' : `After ${m} minutes without activity`)));
  const saved = h('span', { class: 'muted small', role: 'status' });
  select.addEventListener('change', () => {
    setAutoLockMinutes(Number(select.value));
    saved.textContent = 'Saved for this device.';
  });
  const signedIn = Boolean(session.state.user);
  return h('section', { class: 'card', 'aria-labelledby': 'help-device', 'data-testid': 'help-device' },
    h('h2', { id: 'help-device' }, 'Staying safe on this device'),
    h('p', null, 'The ', h('strong', null, 'Quick exit'), ' button at the top of every page, or pressing ', h('kbd', null, 'Esc'), ' twice, leaves Bridgework at once for an ordinary recipe page and locks your private space. Going Back does not return here.'),
    h('p', null, 'It cannot erase this browser’s history of earlier visits. If someone checks your browser, a private or incognito window leaves less behind.'),
    h('div', { class: 'button-row' }, button('Leave now', { kind: 'danger', 'data-action': 'help-quick-exit', 'data-testid': 'help-quick-exit', onClick: quickExit })),
    h('div', { class: 'field' },
      h('label', { for: id }, 'Lock my private space automatically'),
      h('p', { class: 'hint', id: `${id}-hint` }, 'Applies to this device. Your password opens it again.'),
      select, saved),
    signedIn && vault.isUnlocked
      ? h('p', null, h('a', { href: '#/home', 'data-testid': 'welcome-again', onClick: () => resetWelcome() }, 'Take the welcome tour again'))
      : null);
}
