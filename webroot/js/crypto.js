// The client's key scheme, byte for byte as API.md "End-to-end encryption of
// private work" and docs/ENCRYPTION.md define it: PBKDF2-SHA256 stretching,
// HKDF-SHA256 labels, AES-256-GCM envelopes and the base32 recovery code.
// WebCrypto only. Key material stays in Uint8Arrays in memory: this module never
// writes to any storage; callers decide what to keep and for how long.
// src/test/resources/crypto-vectors.json pins it to the Java test client.

export const VAULT_AAD = 'bridgework/vault/v1';
export const SESSION_AAD = 'bridgework/session/v1';
const KDF_ALG = 'PBKDF2-SHA256';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const utf8 = new TextEncoder();
// fatal: a plaintext that is not UTF-8 is a broken envelope, not text with U+FFFD in it.
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** An envelope that does not open: wrong key or AAD, changed bytes, or not an envelope at all. */
export class EnvelopeError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'EnvelopeError';
  }
}

// ---- base64url, no padding ------------------------------------------------

export function b64u(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unb64u(text) {
  // A length of 4n+1 cannot come from any byte string; padding is not part of the format.
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new Error('not base64url text');
  }
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

// ---- key derivation -------------------------------------------------------

export function newKdf(iterations) {
  return { alg: KDF_ALG, iterations, salt: b64u(randomBytes(16)) };
}

/** PBKDF2-HMAC-SHA256 over the UTF-8 of the NFC password: the same password typed on any device gives the same key. */
export async function stretch(password, kdf) {
  if (!kdf || kdf.alg !== KDF_ALG || !Number.isInteger(kdf.iterations) || kdf.iterations < 1) {
    throw new Error('unsupported key derivation settings');
  }
  const key = await crypto.subtle.importKey('raw', utf8.encode(String(password).normalize('NFC')),
    'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: unb64u(kdf.salt), iterations: kdf.iterations }, key, 256);
  return new Uint8Array(bits);
}

/** HKDF-SHA256 with an empty salt (RFC 5869: HashLen zero bytes, which HMAC treats the same) and 32 bytes out. */
export async function hkdf(ikm, info) {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8.encode(info) }, key, 256);
  return new Uint8Array(bits);
}

export async function authKey(stretched) {
  return b64u(await hkdf(stretched, 'bridgework/auth/v1'));
}

export function wrapKeyBytes(stretched) {
  return hkdf(stretched, 'bridgework/wrap/v1');
}

export function recoveryKeyBytes(codeBytes) {
  return hkdf(codeBytes, 'bridgework/recovery/v1');
}

export async function recoveryAuth(codeBytes) {
  return b64u(await hkdf(codeBytes, 'bridgework/recovery-auth/v1'));
}

// ---- recovery code: 16 bytes as 26 base32 characters ---------------------

export function formatRecoveryCode(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) throw new Error('a recovery code is 16 bytes');
  let plain = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xfff; // at most 12 bits are ever pending
    bits += 8;
    while (bits >= 5) {
      plain += BASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) plain += BASE32[(buffer << (5 - bits)) & 31];
  return plain.match(/.{1,5}/g).join('-');
}

export function parseRecoveryCode(text) {
  const clean = String(text).replace(/[\s-]/g, '');
  if (clean.length !== 26) {
    throw new Error(`A recovery code has 26 letters and digits; this one has ${clean.length}. Please check it and try again.`);
  }
  const out = new Uint8Array(16);
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const c of clean) {
    // Only ASCII a-z fold to upper case, so no locale or Unicode case rule can turn a look-alike into a letter.
    const v = BASE32.indexOf(c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
    if (v < 0) {
      throw new Error(`"${c}" is not part of a recovery code, which uses only the letters A to Z and the digits 2 to 7.`);
    }
    buffer = ((buffer << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (buffer >> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new Error('That is not a recovery code this app made: its last character is not right. Please check it and try again.');
  }
  return out;
}

// ---- envelopes: AES-256-GCM, {v:1, iv, ct} --------------------------------

function aesKey(keyBytes, usage) {
  if (!(keyBytes instanceof Uint8Array) || keyBytes.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  return crypto.subtle.importKey('raw', keyBytes, 'AES-GCM', false, [usage]);
}

export async function sealBytes(keyBytes, aad, bytes, iv) {
  const nonce = iv || randomBytes(12);
  if (nonce.length !== 12) throw new Error('an iv is 12 bytes');
  const key = await aesKey(keyBytes, 'encrypt');
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: utf8.encode(aad), tagLength: 128 }, key, bytes);
  return { v: 1, iv: b64u(nonce), ct: b64u(new Uint8Array(ct)) };
}

export async function openBytes(keyBytes, aad, envelope) {
  if (!envelope || typeof envelope !== 'object' || envelope.v !== 1
      || typeof envelope.iv !== 'string' || typeof envelope.ct !== 'string') {
    throw new EnvelopeError('This is not a sealed envelope (expected {v:1, iv, ct}).');
  }
  let iv;
  let ct;
  try {
    iv = unb64u(envelope.iv);
    ct = unb64u(envelope.ct);
  } catch (e) {
    throw new EnvelopeError('The envelope is damaged: its iv or ct is not base64url.', { cause: e });
  }
  if (iv.length !== 12) throw new EnvelopeError('The envelope is damaged: its iv is not 12 bytes.');
  if (ct.length < 16) throw new EnvelopeError('The envelope is damaged: it is too short to hold a tag.');
  const key = await aesKey(keyBytes, 'decrypt');
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: utf8.encode(aad), tagLength: 128 }, key, ct);
    return new Uint8Array(plain);
  } catch (e) {
    // WebCrypto says only "OperationError"; GCM cannot tell a wrong key from a changed byte or a moved envelope.
    throw new EnvelopeError(`The envelope does not open for "${aad}": wrong key, changed bytes, or it belongs to another item.`, { cause: e });
  }
}

export function sealJson(keyBytes, aad, obj) {
  return sealBytes(keyBytes, aad, utf8.encode(JSON.stringify(obj)));
}

export async function openJson(keyBytes, aad, envelope) {
  const bytes = await openBytes(keyBytes, aad, envelope);
  try {
    return JSON.parse(utf8Strict.decode(bytes));
  } catch (e) {
    throw new EnvelopeError(`The envelope for "${aad}" opened but does not hold JSON.`, { cause: e });
  }
}

// ---- account keys ---------------------------------------------------------

/** A new kdf and a new recovery code around an existing vault key: password change, legacy upgrade, recovery. */
export async function rewrapForPassword(password, iterations, vaultKey) {
  if (!(vaultKey instanceof Uint8Array) || vaultKey.length !== 32) throw new Error('a vault key is 32 bytes');
  const kdf = newKdf(iterations);
  const stretched = await stretch(password, kdf);
  const recoveryCode = randomBytes(16);
  const wrapKey = await wrapKeyBytes(stretched);
  const recoveryKey = await recoveryKeyBytes(recoveryCode);
  try {
    return {
      kdf,
      authKey: await authKey(stretched),
      vault: {
        wrapped: await sealBytes(wrapKey, VAULT_AAD, vaultKey),
        recovery: await sealBytes(recoveryKey, VAULT_AAD, vaultKey),
      },
      recoveryAuth: await recoveryAuth(recoveryCode),
      recoveryCode,
      recoveryCodeText: formatRecoveryCode(recoveryCode),
    };
  } finally {
    // Intermediate keys are not needed again; the caller holds only what it was given.
    stretched.fill(0);
    wrapKey.fill(0);
    recoveryKey.fill(0);
  }
}

export async function makeAccountKeys(password, iterations) {
  const vaultKey = randomBytes(32);
  const keys = await rewrapForPassword(password, iterations, vaultKey);
  return { ...keys, vaultKey };
}

function checkVaultKey(bytes) {
  if (bytes.length !== 32) throw new EnvelopeError('The vault opened but does not hold a 32-byte key.');
  return bytes;
}

/** Stretches once and returns both what signs in (authKey) and what opens the work (vaultKey). */
export async function unlockWithPassword(password, kdf, vault) {
  const stretched = await stretch(password, kdf);
  const wrapKey = await wrapKeyBytes(stretched);
  try {
    const auth = await authKey(stretched);
    const vaultKey = checkVaultKey(await openBytes(wrapKey, VAULT_AAD, vault && vault.wrapped));
    return { authKey: auth, vaultKey };
  } finally {
    stretched.fill(0);
    wrapKey.fill(0);
  }
}

export async function unlockWithRecoveryCode(codeBytes, recoveryEnvelope) {
  const recoveryKey = await recoveryKeyBytes(codeBytes);
  try {
    return checkVaultKey(await openBytes(recoveryKey, VAULT_AAD, recoveryEnvelope));
  } finally {
    recoveryKey.fill(0);
  }
}
