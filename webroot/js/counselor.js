// The counselor's read-only page (docs/COUNSELOR.md). No account: the link's secret sits in the
// URL fragment (never sent to any server, never in a Referer) and goes to the API only in the
// Authorization header. The page follows a small live channel that carries no content, only
// "changed" or "ended"; it then reads the view again, so a withdrawn share disappears at once.
import { h, replaceChildren, fmtDateTime, fmtDate } from './dom.js';

const main = document.querySelector('main');
const live = document.querySelector('[data-testid="counselor-live"]');
const liveLabel = live.querySelector('[data-live-label]');

function tokenFromFragment() {
  const raw = location.hash.replace(/^#/, '');
  const params = new URLSearchParams(raw);
  return params.get('t') || raw;
}

const token = tokenFromFragment();
const auth = { Authorization: `Bearer ${token}` };
let ended = false;
let lastRender = '';

function setLive(state, text) {
  live.dataset.state = state;
  liveLabel.textContent = text;
}

function showEnded() {
  ended = true;
  setLive('offline', 'Not available');
  document.title = 'Link not available · Bridgework';
  replaceChildren(main, h('section', { class: 'card', 'data-testid': 'counselor-unavailable', 'aria-labelledby': 'gone-title' },
    h('h1', { id: 'gone-title' }, 'This link is not available'),
    h('p', null, 'It may not be active yet, it may have ended, or it may be mistyped. The couple who sent it can tell you more, and can send a new link if they both want to.')));
}

function showTrouble(text) {
  replaceChildren(main, h('section', { class: 'card', 'data-testid': 'counselor-error', role: 'alert' },
    h('h1', null, 'The brief could not be loaded'), h('p', null, text)));
}

async function load() {
  if (ended) return;
  let res;
  try {
    res = await fetch('/api/counselor/view', { headers: { ...auth, Accept: 'application/json' }, cache: 'no-store', credentials: 'omit' });
  } catch {
    setLive('reconnecting', 'Offline — trying again…');
    return;
  }
  if (res.status === 404) { showEnded(); return; }
  if (res.status === 429) { showTrouble('Too many tries from this network. Please wait a few minutes and reload.'); return; }
  if (!res.ok) { showTrouble('Something went wrong on the server. Please reload in a moment.'); return; }
  const view = await res.json();
  const text = JSON.stringify(view);
  if (text !== lastRender) {
    lastRender = text;
    render(view);
  }
}

function item(entry, index) {
  const titleId = `item-${index + 1}`;
  return h('li', { class: 'card agenda-item', 'data-testid': 'counselor-item', 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: 'agenda-title', dir: 'auto', 'data-testid': 'counselor-item-title' }, `${index + 1}. ${entry.title}`),
    h('p', { class: 'share-meta' }, `Shared by ${entry.sharedBy}`, entry.intent ? ` · ${entry.intent}` : null),
    h('div', { class: 'share-body' },
      (entry.excerpts || []).map((text) => h('blockquote', { class: 'excerpt' },
        h('p', { class: 'excerpt-text', dir: 'auto', 'data-testid': 'counselor-excerpt' }, text)))),
    entry.note ? h('div', { class: 'share-note' },
      h('p', { class: 'note-label' }, `${entry.sharedBy}’s note when sharing`),
      h('p', { dir: 'auto', 'data-testid': 'counselor-share-note' }, entry.note)) : null,
    (entry.responses || []).length ? h('div', { class: 'responses' },
      h('h3', null, 'Responses'),
      h('ul', { class: 'item-list' }, entry.responses.map((r) => h('li', { class: 'response', 'data-testid': 'counselor-response' },
        h('p', { class: 'response-meta' }, h('span', { class: 'response-author' }, r.by), r.at ? ` · ${fmtDateTime(r.at)}` : null),
        h('p', { class: 'response-text', dir: 'auto' }, r.text))))) : null,
    (entry.notes || []).length ? h('div', { class: 'notes' },
      h('h3', null, 'Notes for the session'),
      h('ul', { class: 'item-list' }, entry.notes.map((n) => h('li', { class: 'partner-note', 'data-testid': 'counselor-note' },
        h('p', { class: 'partner-note-label' }, n.by),
        h('p', { class: 'partner-note-text', dir: 'auto' }, n.text))))) : null);
}

function render(view) {
  document.title = `Counseling brief: ${view.names} · Bridgework`;
  const download = h('button', { type: 'button', class: 'btn', 'data-testid': 'counselor-pdf' }, 'Download the PDF');
  const status = h('p', { class: 'status-line', role: 'status', 'data-testid': 'counselor-pdf-state' });
  download.addEventListener('click', () => downloadPdf(download, status));
  const items = view.items || [];
  replaceChildren(main,
    h('section', { class: 'card', 'aria-labelledby': 'brief-title', 'data-testid': 'counselor-brief' },
      h('h1', { id: 'brief-title' }, view.title || 'Counseling brief'),
      h('p', { class: 'muted', 'data-testid': 'counselor-names' }, `${view.names} · review of ${fmtDate(`${view.date}T12:00:00Z`)}`),
      view.label ? h('p', { 'data-testid': 'counselor-label' }, `Shared with ${view.label}.`) : null,
      h('p', { class: 'hint' }, `Read-only. This view stays up to date as the couple changes the agenda, and ends on ${fmtDateTime(view.expiresAt)} or earlier if either partner ends it.`),
      h('div', { class: 'button-row' }, download),
      status),
    h('section', { class: 'stack', 'aria-labelledby': 'agenda-title' },
      h('h2', { id: 'agenda-title', class: 'visually-hidden' }, 'Agenda'),
      items.length
        ? h('ol', { class: 'agenda', 'data-testid': 'counselor-agenda' }, items.map(item))
        : h('p', { class: 'empty', 'data-testid': 'counselor-empty' }, 'Nothing is on the agenda right now.')));
}

async function downloadPdf(btn, status) {
  btn.disabled = true;
  status.textContent = 'Preparing the PDF…';
  try {
    const res = await fetch('/api/counselor/brief.pdf', { headers: auth, cache: 'no-store', credentials: 'omit' });
    if (res.status === 404) { showEnded(); return; }
    if (!res.ok) throw new Error(String(res.status));
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name ? name[1] : 'brief.pdf', hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = 'The PDF is downloaded.';
  } catch {
    status.textContent = 'The PDF could not be made just now. Please try again.';
  } finally {
    btn.disabled = false;
  }
}

/** Follows the live channel; on any trouble reads the view again and reconnects after a pause. */
async function follow() {
  let pause = 2000;
  while (!ended) {
    try {
      const res = await fetch('/api/counselor/events', { headers: { ...auth, Accept: 'text/event-stream' }, cache: 'no-store', credentials: 'omit' });
      if (res.status === 404) { showEnded(); return; }
      if (!res.ok || !res.body) throw new Error(String(res.status));
      setLive('live', 'Live');
      pause = 2000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block);
          if (event && (event[1] === 'changed' || event[1] === 'ready')) load();
          if (event && event[1] === 'ended') { await load(); }
        }
      }
    } catch {
      setLive('reconnecting', 'Reconnecting…');
    }
    if (ended) return;
    await load();
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 30_000);
  }
}

if (!token) {
  showEnded();
} else {
  load().then(() => { if (!ended) follow(); });
}
