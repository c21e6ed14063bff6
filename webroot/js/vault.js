// The vault key, in memory only (docs/ENCRYPTION.md). It seals and opens private work in this tab.
//
// To survive a reload of an open tab, sessionStorage keeps the key sealed under the session key
// that GET /api/me/session-key answers: that blob opens only while the session lives, and only
// together with the server. A second tab asks an unlocked tab for the blob over a BroadcastChannel
// (never for the key itself). Lock, sign-out and the end of the session forget both.
//
// Events: 'change' whenever it locks or unlocks.
import { request } from './http.js';
import { sealBytes, openBytes, sealJson, openJson, unb64u } from './crypto.js';

const BLOB = 'bridgework.vault';
const SESSION_AAD = 'bridgework/session/v1';
const ASK_TIMEOUT_MS = 400;

function readBlob() {
  try {
    const raw = sessionStorage.getItem(BLOB);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function forgetBlob() {
  try { sessionStorage.removeItem(BLOB); } catch { /* storage unavailable */ }
}

async function sessionKey() {
  const data = await request('GET', '/api/me/session-key', undefined, { quiet401: true });
  if (!data || typeof data.sessionKey !== 'string') throw new Error('no session key');
  return unb64u(data.sessionKey);
}

export class Vault extends EventTarget {
  #key = null;

  constructor() {
    super();
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('bridgework-vault') : null;
    if (this.channel) this.channel.addEventListener('message', (e) => this.#onMessage(e.data));
  }

  get isUnlocked() { return this.#key !== null; }

  /** Keeps the key in memory and, for reloads of this tab, the session-sealed blob. */
  async unlock(vaultKey, { remember = true } = {}) {
    if (!(vaultKey instanceof Uint8Array) || vaultKey.length !== 32) throw new Error('not a vault key');
    this.#key = new Uint8Array(vaultKey);
    if (remember) {
      try {
        const blob = await sealBytes(await sessionKey(), SESSION_AAD, this.#key);
        sessionStorage.setItem(BLOB, JSON.stringify(blob));
      } catch (e) {
        // Without the blob a reload asks for the password again; nothing else is lost.
        console.warn('vault: could not keep the session blob', e && e.message);
      }
    }
    this.dispatchEvent(new Event('change'));
  }

  /** Forgets the key and the blob here, and tells this browser's other tabs to do the same. */
  lock({ broadcast = true } = {}) {
    const was = this.#key !== null;
    if (this.#key) this.#key.fill(0);
    this.#key = null;
    forgetBlob();
    if (broadcast && this.channel) this.channel.postMessage({ type: 'lock' });
    if (was) this.dispatchEvent(new Event('change'));
  }

  /** After a reload (or in a new tab): unlocks from this tab's blob, or one an unlocked tab gives. */
  async restore() {
    if (this.#key) return true;
    const blob = readBlob() || await this.#askOtherTabs();
    if (!blob) return false;
    try {
      const key = await openBytes(await sessionKey(), SESSION_AAD, blob);
      sessionStorage.setItem(BLOB, JSON.stringify(blob));
      await this.unlock(key, { remember: false });
      return true;
    } catch {
      // A blob from an ended session: useless now.
      forgetBlob();
      return false;
    }
  }

  seal(kind, id, content) {
    if (!this.#key) return Promise.reject(new LockedError());
    return sealJson(this.#key, `${kind}/${id}`, content);
  }

  open(kind, id, envelope) {
    if (!this.#key) return Promise.reject(new LockedError());
    return openJson(this.#key, `${kind}/${id}`, envelope);
  }

  /** Lends a copy of the key to fn (re-wrapping it under a new password). */
  async withKey(fn) {
    if (!this.#key) throw new LockedError();
    const copy = new Uint8Array(this.#key);
    try { return await fn(copy); } finally { copy.fill(0); }
  }

  #askOtherTabs() {
    if (!this.channel) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onReply = (e) => {
        const msg = e.data;
        if (msg && msg.type === 'blob' && msg.blob) { done(msg.blob); }
      };
      const done = (blob) => {
        clearTimeout(timer);
        this.channel.removeEventListener('message', onReply);
        resolve(blob);
      };
      const timer = setTimeout(() => done(null), ASK_TIMEOUT_MS);
      this.channel.addEventListener('message', onReply);
      this.channel.postMessage({ type: 'want' });
    });
  }

  #onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'want' && this.#key) {
      const blob = readBlob();
      if (blob) this.channel.postMessage({ type: 'blob', blob });
    } else if (msg.type === 'lock' && this.#key) {
      this.lock({ broadcast: false });
    }
  }
}

export class LockedError extends Error {
  constructor() {
    super('Your private space is locked. Unlock it with your password to continue.');
    this.name = 'LockedError';
    this.code = 'locked';
    this.status = 0;
  }
}

export const vault = new Vault();
