// The recovery code, shown once (at sign-up, after a recovery, a password change or the upgrade of
// an older account). The person confirms they saved it before going on.
import { h, replaceChildren } from '../dom.js';
import { button, formError } from '../ui.js';

/**
 * Replaces root's content with the code panel; resolves when the person continues.
 * opts: {codeText, title, lead}
 */
export function showRecoveryCode(root, { codeText, title = 'Save your recovery code', lead }) {
  return new Promise((resolve) => {
    const groups = String(codeText).split('-');
    const error = formError('recovery-error');
    const confirm = h('input', { type: 'checkbox', id: 'recovery-confirm', 'data-testid': 'recovery-confirm' });
    const download = button('Download as a text file', {
      'data-action': 'download-code',
      'data-testid': 'recovery-download',
      onClick: () => {
        const text = [
          'Bridgework recovery code',
          '',
          codeText,
          '',
          'This code and your password are the only ways into your private work.',
          'If both are lost, nobody can read it again, not even whoever runs the server.',
          '',
        ].join('\r\n');
        const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
        const a = h('a', { href: url, download: 'bridgework-recovery-code.txt', hidden: true });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      },
    });
    const print = button('Print', { 'data-action': 'print-code', 'data-testid': 'recovery-print', onClick: () => window.print() });
    const go = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', 'data-testid': 'recovery-continue' }, 'Continue');
    const form = h('form', { class: 'card auth-card recovery-card', novalidate: true, 'data-testid': 'recovery-panel' },
      h('h1', { tabindex: '-1', 'data-page-title': '', 'data-testid': 'page-title' }, title),
      lead ? h('p', { class: 'lead' }, lead) : null,
      h('p', null, 'Your private work is locked with your password, in this browser, before it is saved. '
        + 'If you ever forget your password, this recovery code is the only other way back in.'),
      h('p', { class: 'recovery-warning' }, h('strong', null, 'If you lose both your password and this code, your private work cannot be read again by anyone: '
        + 'not by you, not by us, and not by whoever runs this server.')),
      h('p', { class: 'recovery-code', 'data-testid': 'recovery-code' },
        groups.map((g, i) => [h('span', { class: 'recovery-group' }, g), i < groups.length - 1 ? h('span', { class: 'recovery-sep' }, '-') : null])),
      h('p', { class: 'hint' }, 'Write it down, print it, or keep the file somewhere safe and private, away from this device. This is the only time it is shown.'),
      h('div', { class: 'button-row', 'data-print': 'hide' }, download, print),
      h('div', { class: 'checkbox', 'data-print': 'hide' }, confirm, h('label', { for: confirm.id }, 'I have saved my recovery code somewhere safe.')),
      error.el,
      h('div', { 'data-print': 'hide' }, go));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      if (!confirm.checked) {
        error.show({ message: 'Please save your recovery code, then tick the box to say you have.', field: 'confirm' }, { confirm });
        confirm.focus();
        return;
      }
      resolve();
    });
    replaceChildren(root, h('div', { class: 'auth-layout recovery-layout' }, form));
    form.querySelector('[data-page-title]').focus();
  });
}
