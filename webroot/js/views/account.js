// My data: export everything I own, sign out, delete my account.
import { h, fmtDate } from '../dom.js';
import { api } from '../api.js';
import { session } from '../store.js';
import { endSession, signOut } from '../app.js';
import { pageHeader, button, confirmDialog, field, formError, announce } from '../ui.js';
import { openExport } from '../private.js';
import * as keys from '../keys.js';
import { showRecoveryCode } from './recovery.js';
import { notificationSettings } from './notifications.js';

export default {
  title: 'My data',
  render(root) {
    const view = this;
    const user = session.state.user || {};
    const signOutBtn = button('Sign out', { 'data-action': 'sign-out', 'data-testid': 'sign-out', onClick: () => signOut() });
    const del = button('Delete my account…', {
      kind: 'danger',
      'data-action': 'delete-account',
      'data-testid': 'account-delete',
      onClick: () => deleteAccount(),
    });

    const exportError = formError('export-error');
    const exportBtn = button('Download my data', {
      kind: 'primary',
      'data-action': 'export',
      'data-testid': 'export-data',
      onClick: async () => {
        exportError.clear();
        exportBtn.disabled = true;
        exportBtn.setAttribute('aria-busy', 'true');
        try {
          const data = await openExport(await api.exportData());
          const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
          const url = URL.createObjectURL(blob);
          const a = h('a', { href: url, download: `bridgework-export-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10000);
          announce('Your data is downloading.');
        } catch (e) {
          exportError.show(e);
        } finally {
          exportBtn.disabled = false;
          exportBtn.removeAttribute('aria-busy');
        }
      },
    });

    function passwordSection() {
      const current = h('input', { type: 'password', name: 'current', autocomplete: 'current-password', 'data-testid': 'password-current' });
      const next = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: '10', 'data-testid': 'password-new' });
      const again = h('input', { type: 'password', name: 'password2', autocomplete: 'new-password', 'data-testid': 'password-new-confirm' });
      const error = formError('password-error');
      const inputs = { current, password: next, password2: again };
      const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'password-submit' }, 'Change my password');
      const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'password-title', 'data-testid': 'password-form' },
        h('h2', { id: 'password-title' }, 'Change your password'),
        h('p', null, 'Your private work stays as it is; only the lock changes. You will get a new recovery code, and your other devices will be signed out.'),
        h('input', { type: 'email', autocomplete: 'username', value: user.email || '', hidden: true, readOnly: true, tabindex: '-1' }),
        field('Current password', current),
        field('New password', next, { hint: 'At least 10 characters.' }),
        field('Type the new password again', again),
        error.el,
        submit);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        error.clear();
        const problem = !current.value ? { message: 'Please enter your current password.', field: 'current' }
          : next.value.length < 10 ? { message: 'Your new password needs at least 10 characters.', field: 'password' }
            : next.value !== again.value ? { message: 'The two new passwords are not the same. Please type them again.', field: 'password2' }
              : null;
        if (problem) { error.show(problem, inputs); inputs[problem.field].focus(); return; }
        submit.disabled = true;
        submit.setAttribute('aria-busy', 'true');
        try {
          const codeText = await keys.changePassword(user.email, current.value, next.value);
          await showRecoveryCode(root, {
            codeText,
            title: 'Your password is changed',
            lead: 'Here is your new recovery code. The old one no longer works.',
          });
          root.textContent = '';
          view.render(root);
          announce('Your password is changed.');
        } catch (err) {
          if (err.code === 'invalid_credentials' && !err.field) err.field = 'current';
          if (err.code === 'invalid_credentials') err.message = 'That is not your current password. Please try again.';
          error.show(err, inputs);
          if (err.field && inputs[err.field]) inputs[err.field].focus();
        } finally {
          submit.disabled = false;
          submit.removeAttribute('aria-busy');
        }
      });
      return form;
    }

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('My data', 'Everything you write belongs to you.'),
      h('section', { class: 'card', 'aria-labelledby': 'me-title' },
        h('h2', { id: 'me-title' }, 'Your account'),
        h('dl', { class: 'facts' },
          h('dt', null, 'Name'), h('dd', { 'data-testid': 'account-name' }, user.displayName || ''),
          h('dt', null, 'Email'), h('dd', { 'data-testid': 'account-email' }, user.email || ''),
          user.createdAt ? [h('dt', null, 'Member since'), h('dd', null, fmtDate(user.createdAt))] : null),
        h('div', { class: 'button-row' }, signOutBtn)),
      passwordSection(),
      notificationSettings(),
      h('section', { class: 'card', 'aria-labelledby': 'export-title' },
        h('h2', { id: 'export-title' }, 'Download your data'),
        h('p', null, 'A JSON file with everything you own here: your reflections, parts, check-ins, kept words, shares and responses. '
          + 'Your private work is opened here in your browser, so the file holds your words in plain text. Keep it somewhere safe.'),
        exportError.el,
        exportBtn),
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
        onConfirm: () => keys.authKeyFor(user.email, password.value).then((authKey) => api.deleteAccount(authKey)).catch((e) => {
          // A wrong password is about this field: mark it, so the message is read with it.
          if (e.code === 'invalid_credentials') e.field = 'password';
          throw e;
        }),
      });
      if (ok) endSession('Your account has been deleted. Take good care of yourself.');
    }
  },
};
