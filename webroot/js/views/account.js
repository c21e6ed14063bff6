// My data: export everything I own, sign out, delete my account.
import { h, fmtDate } from '../dom.js';
import { api } from '../api.js';
import { session } from '../store.js';
import { endSession, signOut } from '../app.js';
import { pageHeader, button, confirmDialog, field } from '../ui.js';

export default {
  title: 'My data',
  render(root) {
    const user = session.state.user || {};
    const signOutBtn = button('Sign out', { 'data-action': 'sign-out', 'data-testid': 'sign-out', onClick: () => signOut() });
    const del = button('Delete my account…', {
      kind: 'danger',
      'data-action': 'delete-account',
      'data-testid': 'account-delete',
      onClick: () => deleteAccount(),
    });

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('My data', 'Everything you write belongs to you.'),
      h('section', { class: 'card', 'aria-labelledby': 'me-title' },
        h('h2', { id: 'me-title' }, 'Your account'),
        h('dl', { class: 'facts' },
          h('dt', null, 'Name'), h('dd', { 'data-testid': 'account-name' }, user.displayName || ''),
          h('dt', null, 'Email'), h('dd', { 'data-testid': 'account-email' }, user.email || ''),
          user.createdAt ? [h('dt', null, 'Member since'), h('dd', null, fmtDate(user.createdAt))] : null),
        h('div', { class: 'button-row' }, signOutBtn)),
      h('section', { class: 'card', 'aria-labelledby': 'export-title' },
        h('h2', { id: 'export-title' }, 'Download your data'),
        h('p', null, 'A JSON file with everything you own here: your reflections, parts, check-ins, shares and responses. Keep it somewhere safe: it contains your private words.'),
        h('a', { href: api.exportUrl, download: '', class: 'btn btn-primary', 'data-testid': 'export-data' }, 'Download my data')),
      h('section', { class: 'card danger-zone', 'aria-labelledby': 'delete-title' },
        h('h2', { id: 'delete-title' }, 'Delete your account'),
        h('p', null, 'This erases all your private work for good, withdraws everything you shared, and closes your joint space for both of you.'),
        del)));

    async function deleteAccount() {
      const password = h('input', { type: 'password', autocomplete: 'current-password', 'data-testid': 'delete-password' });
      const understand = h('input', { type: 'checkbox', id: 'delete-understand', 'data-testid': 'delete-understand' });
      const ok = await confirmDialog({
        title: 'Delete your account for good?',
        message: [
          'Your reflections, parts map and check-ins are erased. Everything you shared is withdrawn, and your joint space is closed for both of you.',
          h('p', { class: 'strong' }, 'This cannot be undone. If you might want your words later, download your data first.'),
        ],
        fields: [
          // Lets password managers pair the password with the account (not shown, not focusable).
          h('input', { type: 'email', autocomplete: 'username', value: user.email || '', hidden: true, readOnly: true, tabindex: '-1' }),
          field('Your password, to confirm it is you', password),
          h('div', { class: 'checkbox' }, understand, h('label', { for: understand.id }, 'I understand that this cannot be undone.')),
        ],
        confirmLabel: 'Delete my account',
        danger: true,
        testid: 'confirm-delete-account',
        errorFields: { password },
        validate: () => {
          if (!password.value) return 'Please enter your password.';
          if (!understand.checked) return 'Please tick the box to confirm you understand.';
          return null;
        },
        onConfirm: () => api.deleteAccount(password.value).catch((e) => {
          // A wrong password is about this field: mark it, so the message is read with it.
          if (e.code === 'invalid_credentials') e.field = 'password';
          throw e;
        }),
      });
      if (ok) endSession('Your account has been deleted. Take good care of yourself.');
    }
  },
};
