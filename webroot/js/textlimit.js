// A text field with a limit that never cuts text silently (issue #14). A `maxlength` attribute
// drops the end of an over-long paste without a word; here the field refuses the whole insertion,
// says why and how long it would have been, and shows a counter once the text nears the limit.
import { h, uid } from './dom.js';
import { MAX_TEXT } from './rules.js';

const NEAR = 0.9; // the counter appears at 90% of the limit

const n = (x) => x.toLocaleString();

/**
 * Wires a <textarea> or <input>: answers {el: the counter and message to put after the field,
 * check()}. onAccept(value) runs for every accepted change.
 */
export function limitText(field, { max = MAX_TEXT, label = 'This answer' } = {}) {
  field.removeAttribute('maxlength');
  const counterId = uid('count');
  const counter = h('p', { class: 'char-count', id: counterId, 'data-testid': 'char-count', 'aria-live': 'polite', hidden: true });
  const message = h('p', { class: 'form-error char-refused', role: 'alert', 'data-testid': 'text-too-long', hidden: true });
  const prev = field.getAttribute('aria-describedby');
  field.setAttribute('aria-describedby', prev ? `${prev} ${counterId}` : counterId);
  let lastGood = field.value;

  const showCount = () => {
    const len = field.value.length;
    const near = len >= Math.floor(max * NEAR);
    counter.hidden = !near;
    if (near) counter.textContent = `${n(len)} of ${n(max)} characters`;
    counter.classList.toggle('at-limit', len >= max);
  };

  const refuse = (wouldBe) => {
    message.textContent = `${label} would be ${n(wouldBe)} characters long; the most that fits is ${n(max)}. `
      + 'Nothing was added, so nothing was cut off. You could paste a shorter piece, or continue in another reflection.';
    message.hidden = false;
    field.setAttribute('aria-invalid', 'true');
  };
  const accept = () => {
    if (!message.hidden) { message.hidden = true; field.removeAttribute('aria-invalid'); }
  };

  // What an insertion of `text` would make the length, given the current selection.
  const projected = (text) => {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    return field.value.length - (end - start) + text.length;
  };

  field.addEventListener('paste', (e) => {
    const text = e.clipboardData ? e.clipboardData.getData('text') : '';
    const wouldBe = projected(text);
    if (wouldBe > max) { e.preventDefault(); refuse(wouldBe); }
  });
  field.addEventListener('beforeinput', (e) => {
    if (typeof e.data !== 'string' || !e.inputType.startsWith('insert')) return;
    const wouldBe = projected(e.data);
    if (wouldBe > max) { e.preventDefault(); refuse(wouldBe); }
  });
  // Anything that got past the two above (a value set by script or an autofill): put it back.
  field.addEventListener('input', (e) => {
    if (field.value.length > max) {
      const wouldBe = field.value.length;
      field.value = lastGood;
      e.stopImmediatePropagation();
      refuse(wouldBe);
    } else {
      lastGood = field.value;
      if (field.value.length < max) accept();
    }
    showCount();
  });
  showCount();
  return {
    el: [counter, message],
    /** After the value was set by code (a conflict resolved, another device): re-measure. */
    sync() { lastGood = field.value; showCount(); },
  };
}
