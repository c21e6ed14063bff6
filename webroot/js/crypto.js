// PLACEHOLDER until the real crypto.js arrives from main: the same API, written from
// docs/ENCRYPTION.md and ClientCrypto.java. Keys are raw bytes (Uint8Array); WebCrypto does the work.

const te = new TextEncoder();
const td = new TextDecoder();
const subtle = globalThis.crypto.subtle;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class EnvelopeError extends Error {
  constructor(message = 'This could not be opened with this key.') {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export function b64u(bytes) {
  let s = '';
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  for (let i = 0; i < b.length; i += 1) s += String.fromCharCode(b[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unb64u(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw new EnvelopeError('Not base64url.');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i);
  return out;
}

export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

export function newKdf(iterations) {
  return { alg: 'PBKDF2-SHA256', iterations, salt: b64u(randomBytes(16)) };
}

export async function stretch(password, kdf) {
  const base = await subtle.importKey('raw', te.encode(String(password).normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: unb64u(kdf.salt), iterations: kdf.iterations }, base, 256);
  return new Uint8Array(bits);
}

export async function hkdf(ikm, info) {
  const base = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: te.encode(info) }, base, 256);
  return new Uint8Array(bits);
}

export async function authKey(stretched) { return b64u(await hkdf(stretched, 'bridgework/auth/v1')); }
export function wrapKeyBytes(stretched) { return hkdf(stretched, 'bridgework/wrap/v1'); }
export function recoveryKeyBytes(code) { return hkdf(code, 'bridgework/recovery/v1'); }
export async function recoveryAuth(code) { return b64u(await hkdf(code, 'bridgework/recovery-auth/v1')); }

export function formatRecoveryCode(bytes) {
  let plain = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) { plain += BASE32[(buffer >> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) plain += BASE32[(buffer << (5 - bits)) & 31];
  return plain.match(/.{1,5}/g).join('-');
}

export function parseRecoveryCode(text) {
  const clean = String(text || '').replace(/[\s-]/g, '').toUpperCase();
  if (!clean) throw new Error('Please enter your recovery code.');
  if (clean.length !== 26) throw new Error('A recovery code has 26 letters and digits. Please check it and try again.');
  const out = new Uint8Array(16);
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const c of clean) {
    const v = BASE32.indexOf(c);
    if (v < 0) throw new Error(`A recovery code uses only the letters A–Z and the digits 2–7; “${c}” is not one of them.`);
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) { if (n < 16) out[n++] = (buffer >> (bits - 8)) & 0xff; bits -= 8; }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new Error('That recovery code is not quite right. Please check the last characters.');
  return out;
}

async function aesKey(key) {
  return subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealBytes(key, aad, bytes, iv = randomBytes(12)) {
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: te.encode(aad) }, await aesKey(key), bytes);
  return { v: 1, iv: b64u(iv), ct: b64u(new Uint8Array(ct)) };
}

export async function openBytes(key, aad, env) {
  if (!env || typeof env !== 'object' || env.v !== 1 || typeof env.iv !== 'string' || typeof env.ct !== 'string') {
    throw new EnvelopeError('Not an envelope.');
  }
  try {
    const pt = await subtle.decrypt({ name: 'AES-GCM', iv: unb64u(env.iv), additionalData: te.encode(aad) }, await aesKey(key), unb64u(env.ct));
    return new Uint8Array(pt);
  } catch (e) {
    throw new EnvelopeError();
  }
}

export function sealJson(key, aad, obj) { return sealBytes(key, aad, te.encode(JSON.stringify(obj))); }

export async function openJson(key, aad, env) {
  const bytes = await openBytes(key, aad, env);
  try { return JSON.parse(td.decode(bytes)); } catch { throw new EnvelopeError('Not JSON.'); }
}

const VAULT_AAD = 'bridgework/vault/v1';

async function wrapFor(password, iterations, vaultKey, code) {
  const kdf = newKdf(iterations);
  const stretched = await stretch(password, kdf);
  const vault = {
    wrapped: await sealBytes(await wrapKeyBytes(stretched), VAULT_AAD, vaultKey),
    recovery: await sealBytes(await recoveryKeyBytes(code), VAULT_AAD, vaultKey),
  };
  return {
    kdf, authKey: await authKey(stretched), vault, recoveryAuth: await recoveryAuth(code),
    recoveryCode: code, recoveryCodeText: formatRecoveryCode(code),
  };
}

export async function makeAccountKeys(password, iterations) {
  const vaultKey = randomBytes(32);
  return { ...(await wrapFor(password, iterations, vaultKey, randomBytes(16))), vaultKey };
}

export function rewrapForPassword(password, iterations, vaultKey) {
  return wrapFor(password, iterations, vaultKey, randomBytes(16));
}

export async function unlockWithPassword(password, kdf, vault) {
  const stretched = await stretch(password, kdf);
  const vaultKey = await openBytes(await wrapKeyBytes(stretched), VAULT_AAD, vault.wrapped);
  return { authKey: await authKey(stretched), vaultKey };
}

export async function unlockWithRecoveryCode(codeBytes, recoveryEnvelope) {
  return openBytes(await recoveryKeyBytes(codeBytes), VAULT_AAD, recoveryEnvelope);
}
