// Pairing: create the joint space and invite, join with a code, or leave.
import { h, replaceChildren, fmtDateTime, keepFocus } from '../dom.js';
import { api } from '../api.js';
import { session, partner } from '../store.js';
import { afterPairingChange } from '../app.js';
import { pageHeader, formError, button, confirmDialog, announce, field, endingNotice } from '../ui.js';

// The latest invite this tab created; kept in memory only, like everything else.
let lastInvite = null;

export default {
  title: 'Your partner',
  render(root) {
    const body = h('div', { class: 'stack', 'data-testid': 'couple-view' });
    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Your partner', 'A joint space is where the two of you see what each of you chooses to share. Nothing private goes there on its own.'),
      body));

    const render = () => {
      const c = session.state.couple;
      if (!c) replaceChildren(body, endingNotice(), notPaired(render));
      else replaceChildren(body, paired(c, render));
    };
    render();
    const unwatch = session.watch(() => {
      // Re-render on pairing changes, but not while someone is typing in a field here.
      const active = document.activeElement;
      if (active && body.contains(active) && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA')) {
        if (session.state.couple) keepFocus(body, render);
        return;
      }
      keepFocus(body, render);
    });
    return unwatch;
  },
};

function notPaired(rerender) {
  const createErr = formError('couple-create-error');
  const create = button('Create our joint space', {
    kind: 'primary',
    'data-action': 'create-couple',
    'data-testid': 'couple-create',
    onClick: async () => {
      createErr.clear();
      create.disabled = true;
      try {
        const data = await api.createCouple();
        lastInvite = (data && data.invite) || null;
        await afterPairingChange();
        announce('Your joint space is ready. Share the invite code with your partner.');
        rerender();
        const code = document.querySelector('[data-testid="invite-code"]');
        if (code) code.focus();
      } catch (e) {
        createErr.show(e);
        if (e.code === 'already_paired') afterPairingChange().catch(() => {});
      } finally {
        create.disabled = false;
      }
    },
  });

  const code = h('input', {
    type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '64',
    'data-testid': 'join-code', class: 'code-input',
  });
  const joinErr = formError('couple-join-error');
  const join = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'join-submit' }, 'Join');
  const joinForm = h('form', { novalidate: true, 'data-testid': 'join-form' },
    field('Invite code', code, { hint: 'Your partner sees it on their “Your partner” page. Spaces and dashes are fine.' }),
    joinErr.el,
    join);
  joinForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    joinErr.clear();
    const value = code.value.replace(/[\s-]+/g, '');
    if (!value) { joinErr.show({ message: 'Please type the invite code from your partner.', field: 'code' }, { code }); code.focus(); return; }
    join.disabled = true;
    try {
      await api.joinCouple(value);
      lastInvite = null;
      await afterPairingChange();
      announce('You joined your joint space.');
    } catch (err) {
      joinErr.show(err, { code });
      code.focus();
    } finally {
      join.disabled = false;
    }
  });

  return h('div', { class: 'card-grid two' },
    h('section', { class: 'card', 'aria-labelledby': 'create-title' },
      h('h2', { id: 'create-title' }, 'Invite your partner'),
      h('p', null, 'Create a joint space and you will get a one-time code to give your partner. It is just for the two of you.'),
      createErr.el,
      create),
    h('section', { class: 'card', 'aria-labelledby': 'join-title' },
      h('h2', { id: 'join-title' }, 'Join with a code'),
      h('p', null, 'Did your partner give you a code? Type it here to join your shared space.'),
      joinForm));
}

function paired(c, rerender) {
  const user = session.state.user;
  const other = partner();
  const members = Array.isArray(c.members) ? c.members : [];
  const alone = members.length < 2;
  const inviteArea = h('div', { 'data-testid': 'invite-area' });
  const inviteErr = formError('invite-error');

  const showInvite = () => {
    if (!alone) { replaceChildren(inviteArea); return; }
    replaceChildren(inviteArea,
      lastInvite ? inviteView(lastInvite) : h('p', null, 'Create a fresh code to give your partner. Any earlier code stops working.'),
      inviteErr.el,
      button(lastInvite ? 'Make a new code' : 'Get an invite code', {
        'data-action': 'new-invite',
        'data-testid': 'invite-new',
        onClick: async (e) => {
          const btn = e.currentTarget;
          inviteErr.clear();
          btn.disabled = true;
          try {
            const data = await api.newInvite();
            lastInvite = (data && data.invite) || data;
            showInvite();
            const codeEl = inviteArea.querySelector('[data-testid="invite-code"]');
            if (codeEl) codeEl.focus();
            announce('A new invite code is ready.');
          } catch (err) {
            inviteErr.show(err);
            if (err.code === 'couple_full') afterPairingChange().catch(() => {});
          } finally {
            btn.disabled = false;
          }
        },
      }));
  };
  showInvite();

  const leaveErr = formError('leave-error');
  const leave = button('Leave the joint space', {
    kind: 'danger',
    'data-action': 'leave',
    'data-testid': 'couple-leave',
    onClick: async () => {
      leaveErr.clear();
      const ok = await confirmDialog({
        title: 'Leave the joint space?',
        // Exactly what happens to whose words (docs/SAFETY.md "Endings").
        message: alone
          ? ['This closes your joint space and cancels any invite code.',
            'Your private reflections, parts and check-ins stay yours and are not touched.']
          : [
            `The joint space closes for both you and ${other ? other.displayName : 'your partner'}, right away. ${other ? other.displayName : 'Your partner'} will see a short notice that you left, and when.`,
            h('p', { 'data-testid': 'leave-own-words' }, h('strong', null, 'Your own words are kept for you: '),
              'the text of what you shared and your notes from joint reviews move into Kept words, private and sealed, visible only to you.'),
            h('p', { 'data-testid': 'leave-their-words' }, h('strong', null, `${other ? other.displayName : 'Your partner'}’s words stay theirs: `),
              'they keep what they shared and their review notes the same way. You will no longer see any of it.'),
            h('p', { class: 'strong' }, 'Erased for both of you: the joint space itself, responses and acknowledgements, counseling flags and joint reviews. This cannot be undone.'),
            'Your private reflections, parts and check-ins stay yours and are not touched.',
          ],
        confirmLabel: 'Leave and erase the joint space',
        danger: true,
        testid: 'confirm-leave',
        onConfirm: () => api.leaveCouple(),
      });
      if (!ok) return;
      lastInvite = null;
      session.set({ couple: null, partnerOnline: false });
      announce('You left the joint space.');
      afterPairingChange().catch(() => {});
      rerender();
    },
  });

  const presence = other
    ? h('p', { class: ['presence', session.state.partnerOnline ? 'is-online' : null], 'data-testid': 'partner-presence', 'data-online': String(Boolean(session.state.partnerOnline)) },
      h('span', { class: 'presence-dot', 'aria-hidden': 'true' }),
      session.state.partnerOnline ? `${other.displayName} is online now` : `${other.displayName} is not online right now`)
    : null;

  return h('div', { class: 'stack' },
    h('section', { class: 'card', 'aria-labelledby': 'members-title' },
      h('h2', { id: 'members-title' }, alone ? 'Waiting for your partner' : 'Your joint space'),
      h('ul', { class: 'members', 'data-testid': 'couple-members' },
        members.map((m) => h('li', { 'data-testid': 'couple-member', 'data-user-id': m.id },
          m.displayName, m.id === (user && user.id) ? h('span', { class: 'muted' }, ' (you)') : null))),
      presence,
      c.createdAt ? h('p', { class: 'muted small' }, `${alone ? 'Created' : 'Together here since'} ${fmtDateTime(c.createdAt)}`) : null,
      alone
        ? h('p', null, 'As soon as your partner joins with the code, you will see each other here.')
        : h('p', null, h('a', { href: '#/joint' }, 'Go to your joint space'))),
    alone ? h('section', { class: 'card', 'aria-labelledby': 'invite-title' }, h('h2', { id: 'invite-title' }, 'Invite code'), inviteArea) : null,
    h('section', { class: 'card danger-zone', 'aria-labelledby': 'leave-title' },
      h('h2', { id: 'leave-title' }, 'Leaving'),
      h('p', null, 'Either of you can leave at any time, without giving a reason. Leaving closes the joint space for both of you; each of you keeps your own words.'),
      leaveErr.el,
      leave));
}

function inviteView(invite) {
  const code = String(invite.code || '');
  const copied = h('span', { class: 'muted small', role: 'status', 'data-testid': 'invite-copied' });
  const codeEl = h('p', { class: 'invite-code', 'data-testid': 'invite-code', tabindex: '-1' }, code);
  return h('div', { class: 'invite' },
    h('p', null, 'Give this code to your partner. It works once.'),
    codeEl,
    h('div', { class: 'button-row' },
      button('Copy code', {
        'data-action': 'copy-invite',
        'data-testid': 'invite-copy',
        onClick: async () => {
          try {
            await navigator.clipboard.writeText(code);
            copied.textContent = 'Copied.';
          } catch {
            // Clipboard can be unavailable (non-secure origin): select the code instead.
            const sel = window.getSelection();
            const r = document.createRange();
            r.selectNodeContents(codeEl);
            sel.removeAllRanges();
            sel.addRange(r);
            copied.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected code.';
          }
        },
      }),
      copied),
    invite.expiresAt ? h('p', { class: 'muted', 'data-testid': 'invite-expiry' }, `It works until ${fmtDateTime(invite.expiresAt)}.`) : null);
}
