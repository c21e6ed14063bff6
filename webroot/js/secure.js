// Bridgework encrypts in the browser with WebCrypto, which browsers offer only in a
// secure context: HTTPS, or http://localhost. Opened over plain HTTP on any other
// address, crypto.subtle is simply missing; say so plainly instead of failing later.
// Built with DOM calls and textContent only.

/** Where the set-up is explained: the README section of that name. */
export const README_SECTION = 'Serving over HTTPS';

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

/**
 * Answers true when the page may go on. Otherwise replaces the contents of `mainElement`
 * with a full-page notice that Bridgework needs HTTPS, and answers false.
 */
export function requireSecureContext(mainElement) {
  if (window.isSecureContext !== false) return true;

  const secureUrl = new URL(window.location.href);
  secureUrl.protocol = 'https:';
  // The same address over HTTPS: right whenever a TLS proxy or the server's own TLS listens on 443.
  secureUrl.port = '';

  const section = el('section', null, {
    class: 'card notice', role: 'alert', 'data-testid': 'insecure-context',
  });
  const title = el('h1', 'Bridgework needs a secure connection', { tabindex: '-1', 'data-page-title': '' });
  section.append(
    title,
    el('p', 'This page was opened over plain HTTP. What you write in Bridgework is encrypted on '
      + 'your device before it is sent, and browsers only allow that encryption on HTTPS '
      + 'connections, so the app cannot start here. Nothing has been sent or lost.'),
    el('p', 'If this server also offers HTTPS, you can open the secure address instead:'),
  );
  const tryIt = el('p');
  tryIt.append(el('a', secureUrl.href, { href: secureUrl.href, 'data-action': 'open-https' }));
  section.append(tryIt);

  const forAdmins = el('p', 'For whoever runs this server: serve it over HTTPS, directly or behind '
    + 'a proxy such as Caddy or nginx. The section ');
  forAdmins.append(el('strong', `“${README_SECTION}”`), document.createTextNode(
    ' in Bridgework’s README (README.md, next to the server) shows both set-ups step by step.'));
  section.append(forAdmins);

  mainElement.replaceChildren(section);
  mainElement.setAttribute('data-route', 'insecure-context');
  document.title = 'HTTPS needed · Bridgework';
  title.focus();
  return false;
}
