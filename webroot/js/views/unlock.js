// Signed in but locked ("Lock now", or a new tab): the password opens the private space again.
import { h } from '../dom.js';
import { session } from '../store.js';
import { afterUnlock, signOut } from '../app.js';
import { field, formError, button } from '../ui.js';
import * as keys from '../keys.js';

export default {
  title: 'Unlock',
  render(root) {
    const user = session.state.user || {};
    const error = formError('unlock-error');
    const pw = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'current-password', 'data-testid': 'unlock-password' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', 'data-testid': 'unlock-submit' }, 'Unlock');
    const form = h('form', { class: 'card auth-card', novalidate: true, 'data-testid': 'unlock-form' },
      h('h1', { tabindex: '-1', 'data-page-title': '', 'data-testid': 'page-title' }, 'Your private space is locked'),
      h('p', { class: 'lead' }, 'Your private work opens only with your password, right here in this browser.'),
      // Lets password managers pair the password with the account (not shown, not focusable).
      h('input', { type: 'email', autocomplete: 'username', value: user.email || '', hidden: true, readOnly: true, tabindex: '-1' }),
      field(`Password for ${user.email || 'your account'}`, pw),
      error.el,
      submit,
      h('p', { class: 'auth-alt' },
        h('a', { href: '#/forgot', 'data-testid': 'unlock-forgot' }, 'I forgot my password'),
        ' · ',
        button('Sign out', { kind: 'small', 'data-action': 'sign-out', 'data-testid': 'unlock-sign-out', onClick: () => signOut() })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      if (!pw.value) { error.show({ message: 'Please enter your password.', field: 'password' }, { password: pw }); pw.focus(); return; }
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      try {
        await keys.unlock(user.email, pw.value, session.state.vault);
        pw.value = '';
        await afterUnlock();
      } catch (err) {
        error.show(err, { password: pw });
        pw.focus();
      } finally {
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      }
    });
    root.appendChild(h('div', { class: 'auth-layout' }, form));
  },
};
