// Sign in and sign up. Both work for one person before any partner joins.
import { h } from '../dom.js';
import { navigate, startSession, authNotice } from '../app.js';
import { field, formError } from '../ui.js';
import * as keys from '../keys.js';
import { showRecoveryCode } from './recovery.js';

function intro() {
  return h('div', { class: 'auth-intro' },
    h('p', { class: 'auth-tagline' }, 'A quiet place to understand yourself first, and then choose what to share with your partner.'),
    h('ul', { class: 'auth-points' },
      h('li', null, 'Your reflections, parts and check-ins are private. Only you can see them.'),
      h('li', null, 'You decide what, if anything, reaches your joint space.'),
      h('li', null, 'Before counseling, you prepare a short brief together.')));
}

function authPage(root, { title, lead, fields, submitLabel, submitTestid, onSubmit, alternate }) {
  const error = formError('auth-error');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', 'data-testid': submitTestid }, submitLabel);
  const note = authNotice();
  const form = h('form', { class: 'card auth-card', novalidate: true, 'data-testid': `${submitTestid}-form` },
    h('h1', { tabindex: '-1', 'data-page-title': '', 'data-testid': 'page-title' }, title),
    h('p', { class: 'lead' }, lead),
    note ? h('p', { class: 'notice-line', role: 'status', 'data-testid': 'auth-notice' }, note) : null,
    fields.map((f) => f.el),
    error.el,
    submit,
    h('p', { class: 'auth-alt' }, alternate));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.clear();
    const inputs = Object.fromEntries(fields.map((f) => [f.name, f.input]));
    const values = Object.fromEntries(fields.map((f) => [f.name, f.input.value]));
    const problem = fields.map((f) => f.check && f.check(values[f.name])).find(Boolean);
    if (problem) {
      error.show(problem.err, inputs);
      inputs[problem.err.field].focus();
      return;
    }
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(values);
    } catch (err) {
      error.show(err, inputs);
      const bad = err.field && inputs[err.field];
      if (bad) bad.focus();
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  root.appendChild(h('div', { class: 'auth-layout' }, intro(), form));
}

function input(name, type, attrs) {
  return h('input', { name, type, required: true, 'data-testid': attrs.testid, ...attrs.extra });
}

function emailField(testid) {
  const el = input('email', 'email', { testid, extra: { autocomplete: 'email', spellcheck: 'false', maxlength: '254' } });
  return {
    name: 'email',
    input: el,
    el: field('Email', el),
    check: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : { err: { message: 'Please enter your email address, like name@example.com.', field: 'email' } }),
  };
}

export const signin = {
  title: 'Sign in',
  public: true,
  render(root) {
    const email = emailField('signin-email');
    const pw = input('password', 'password', { testid: 'signin-password', extra: { autocomplete: 'current-password' } });
    authPage(root, {
      title: 'Welcome back',
      lead: 'Sign in to continue where you left off.',
      fields: [email, {
        name: 'password', input: pw, el: field('Password', pw),
        check: (v) => (v ? null : { err: { message: 'Please enter your password.', field: 'password' } }),
      }],
      submitLabel: 'Sign in',
      submitTestid: 'signin-submit',
      alternate: [
        h('a', { href: '#/forgot', 'data-testid': 'goto-forgot' }, 'I forgot my password'),
        h('br'),
        'New here? ', h('a', { href: '#/signup', 'data-testid': 'goto-signup' }, 'Create your account')],
      async onSubmit(values) {
        const { user, recoveryCodeText } = await keys.signIn(values.email.trim(), values.password);
        if (recoveryCodeText) {
          // An account from before end-to-end encryption, upgraded just now: its first recovery code.
          await showRecoveryCode(root, {
            codeText: recoveryCodeText,
            title: 'Your private work is now locked with your password',
            lead: 'From now on, your reflections, parts and check-ins are sealed in your browser before they are saved. Here is your recovery code.',
          });
        }
        await startSession(user);
        navigate('#/home');
      },
    });
  },
};

export const signup = {
  title: 'Create your account',
  public: true,
  render(root) {
    const name = input('displayName', 'text', { testid: 'signup-name', extra: { autocomplete: 'nickname', maxlength: '100' } });
    const email = emailField('signup-email');
    const pw = input('password', 'password', { testid: 'signup-password', extra: { autocomplete: 'new-password', minlength: '10' } });
    const pw2 = input('password2', 'password', { testid: 'signup-password-confirm', extra: { autocomplete: 'new-password' } });
    authPage(root, {
      title: 'Create your private space',
      lead: 'It takes a minute. You can invite your partner later, whenever you are ready.',
      fields: [
        {
          name: 'displayName', input: name,
          el: field('Your name', name, { hint: 'The name your partner will see in your joint space.' }),
          check: (v) => (v.trim() ? null : { err: { message: 'Please tell us what to call you.', field: 'displayName' } }),
        },
        email,
        {
          name: 'password', input: pw,
          el: field('Password', pw, { hint: 'At least 10 characters. A short sentence works well. It never leaves this browser.' }),
          check: (v) => (v.length >= 10 ? null : { err: { message: 'Your password needs at least 10 characters.', field: 'password' } }),
        },
        confirmField(pw2, pw),
      ],
      submitLabel: 'Create my account',
      submitTestid: 'signup-submit',
      alternate: ['Already have an account? ', h('a', { href: '#/signin', 'data-testid': 'goto-signin' }, 'Sign in')],
      async onSubmit(values) {
        const { user, recoveryCodeText } = await keys.signUp({
          email: values.email.trim(), displayName: values.displayName.trim(), password: values.password,
        });
        await showRecoveryCode(root, {
          codeText: recoveryCodeText,
          lead: 'One more step before you begin.',
        });
        await startSession(user);
        navigate('#/home');
      },
    });
  },
};

function confirmField(el, original, label = 'Type the password again') {
  return {
    name: el.name, input: el, el: field(label, el),
    check: (v) => (v === original.value ? null : { err: { message: 'The two passwords are not the same. Please type them again.', field: el.name } }),
  };
}

export const forgot = {
  title: 'I forgot my password',
  public: true,
  render(root) {
    const email = emailField('forgot-email');
    const code = input('code', 'text', { testid: 'forgot-code', extra: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' } });
    const pw = input('password', 'password', { testid: 'forgot-password', extra: { autocomplete: 'new-password', minlength: '10' } });
    const pw2 = input('password2', 'password', { testid: 'forgot-password-confirm', extra: { autocomplete: 'new-password' } });
    authPage(root, {
      title: 'Choose a new password',
      lead: 'Your recovery code opens your private work again, and you choose a new password for it. You will get a new recovery code at the end.',
      fields: [
        email,
        {
          name: 'code', input: code,
          el: field('Recovery code', code, { hint: 'The 26 letters and digits you saved when you made your account, like ABCDE-FGHIJ-…' }),
          check: (v) => (v.trim() ? null : { err: { message: 'Please enter your recovery code.', field: 'code' } }),
        },
        {
          name: 'password', input: pw,
          el: field('New password', pw, { hint: 'At least 10 characters.' }),
          check: (v) => (v.length >= 10 ? null : { err: { message: 'Your new password needs at least 10 characters.', field: 'password' } }),
        },
        confirmField(pw2, pw, 'Type the new password again'),
      ],
      submitLabel: 'Open my private work',
      submitTestid: 'forgot-submit',
      alternate: ['Remembered it? ', h('a', { href: '#/signin', 'data-testid': 'goto-signin' }, 'Sign in')],
      async onSubmit(values) {
        const { user, recoveryCodeText } = await keys.recover(values.email.trim(), values.code, values.password);
        await showRecoveryCode(root, {
          codeText: recoveryCodeText,
          title: 'Your new recovery code',
          lead: 'Your password is changed, and your old recovery code no longer works. Other devices have been signed out.',
        });
        await startSession(user);
        navigate('#/home');
      },
    });
  },
};
