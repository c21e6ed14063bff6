// Tiny DOM helpers. User text only ever reaches the page as text nodes or
// form values: there is deliberately no way to pass markup through here.

const SVG_NS = 'http://www.w3.org/2000/svg';
// Set as properties (after children, so a <select> already has its options).
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'readOnly',
  'required', 'multiple', 'indeterminate']);

function apply(el, attrs, children, svg) {
  const props = [];
  if (attrs) {
    for (const [key, val] of Object.entries(attrs)) {
      if (val === undefined || val === null) continue;
      if (PROPS.has(key)) { props.push([key, val]); continue; }
      if (val === false) continue;
      if (key === 'class') {
        const cls = Array.isArray(val) ? val.filter(Boolean).join(' ') : val;
        if (cls) el.setAttribute('class', cls);
      } else if (key === 'text') {
        el.textContent = String(val);
      } else if (key.startsWith('on') && typeof val === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), val);
      } else if (key === 'style') {
        throw new Error('Inline styles are not allowed (CSP); use a class');
      } else {
        el.setAttribute(key, val === true ? '' : String(val));
      }
    }
  }
  append(el, children);
  for (const [key, val] of props) el[key] = val;
  return el;
}

/** Appends children: strings become text nodes, arrays are flattened, null/false skipped. */
export function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

/** h('button', {class: 'btn', 'data-action': 'save', onClick}, 'Save') */
export function h(tag, attrs, ...children) {
  return apply(document.createElement(tag), attrs, children, false);
}

/** Same as h() for SVG elements. */
export function s(tag, attrs, ...children) {
  return apply(document.createElementNS(SVG_NS, tag), attrs, children, true);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  return append(el, children);
}

let counter = 0;
/** A page-unique id for pairing <label for> with its control. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function uuid() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; fall back to getRandomValues (RFC 4122 v4).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function toDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
export function fmtDate(iso) { const d = toDate(iso); return d ? dateFmt.format(d) : ''; }
export function fmtDateTime(iso) { const d = toDate(iso); return d ? dateTimeFmt.format(d) : ''; }
export function fmtShort(iso) { const d = toDate(iso); return d ? shortFmt.format(d) : ''; }

/** <time datetime=…>formatted</time> */
export function time(iso, withTime = true) {
  return h('time', { datetime: iso || '' }, withTime ? fmtDateTime(iso) : fmtDate(iso));
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  wrapped.cancel = () => { clearTimeout(timer); timer = null; };
  wrapped.pending = () => timer !== null;
  wrapped.flush = (...args) => { if (timer !== null) { clearTimeout(timer); timer = null; fn(...args); } };
  return wrapped;
}

/**
 * Runs fn (which rebuilds part of container) and puts keyboard focus back on
 * the equivalent element afterwards, found by its data-action / data-testid.
 */
export function keepFocus(container, fn) {
  const active = document.activeElement;
  let selector = null;
  if (active && container.contains(active)) {
    for (const attr of ['data-focus-key', 'data-action', 'data-testid']) {
      const v = active.getAttribute(attr);
      if (v) { selector = `[${attr}="${CSS.escape(v)}"]`; break; }
    }
  }
  fn();
  if (selector) {
    const again = container.querySelector(selector);
    if (again && document.activeElement !== again) again.focus();
  }
}

export function truncate(text, n) {
  const t = String(text || '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
