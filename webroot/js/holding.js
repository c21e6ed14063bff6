// Held words (docs/PROMPTS.md): drafts of answers to couple prompts, and shares a person chose to
// hold until they feel calmer. Sealed in this browser with AAD held/<id> like all private work;
// the server stores only the envelope. Opened with private.js's openItem.
import { request } from './http.js';
import { vault } from './vault.js';
import { openItem } from './private.js';

const enc = encodeURIComponent;

export async function heldItems() {
  const data = await request('GET', '/api/held');
  const list = data && Array.isArray(data.held) ? data.held : [];
  return Promise.all(list.map((x) => openItem('held', x)));
}

export async function heldItem(id) {
  return openItem('held', await request('GET', `/api/held/${enc(id)}`));
}

/** Creates or replaces a held item; `version` is the one last seen (omit when creating). */
export async function saveHeld(id, content, version) {
  const body = { sealed: await vault.seal('held', id, content) };
  if (version !== undefined && version !== null) body.version = version;
  return openItem('held', await request('PUT', `/api/held/${enc(id)}`, body));
}

export async function deleteHeld(id) {
  try {
    await request('DELETE', `/api/held/${enc(id)}`);
  } catch (e) {
    if (!(e && e.status === 404)) throw e;
  }
}

/** Opens a self-stream held.saved event's item (null for other events). */
export async function openHeldEvent(msg) {
  if (msg.stream !== 'self' || msg.kind !== 'held.saved' || !msg.data) return null;
  return msg.data.sealed ? openItem('held', msg.data) : heldItem(msg.data.id);
}
