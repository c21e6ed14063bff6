// Sign in and sign up. Both work for one person before any partner joins.
import { h } from '../dom.js';
import { api } from '../api.js';
import { navigate, startSession, authNotice } from '../app.js';
import { field, formError } from '../ui.js';

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
      alternate: ['New here? ', h('a', { href: '#/signup', 'data-testid': 'goto-signup' }, 'Create your account')],
      async onSubmit(values) {
        const data = await api.login(values.email.trim(), values.password);
        await startSession(data && data.user);
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
          el: field('Password', pw, { hint: 'At least 10 characters. A short sentence works well.' }),
          check: (v) => (v.length >= 10 ? null : { err: { message: 'Your password needs at least 10 characters.', field: 'password' } }),
        },
      ],
      submitLabel: 'Create my account',
      submitTestid: 'signup-submit',
      alternate: ['Already have an account? ', h('a', { href: '#/signin', 'data-testid': 'goto-signin' }, 'Sign in')],
      async onSubmit(values) {
        const data = await api.register(values.email.trim(), values.password, values.displayName.trim());
        await startSession(data && data.user);
        navigate('#/home');
      },
    });
  },
};
