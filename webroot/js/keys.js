// The account flows of end-to-end encryption (docs/ENCRYPTION.md): what is derived from the
// password or the recovery code, what is sent, and unlocking the vault. The password and the
// recovery code never leave this tab; only authKey, recoveryAuth and wrapped keys do.
import { api, ApiError } from './api.js';
import { vault } from './vault.js';
import {
  stretch, authKey, wrapKeyBytes, openBytes, makeAccountKeys, rewrapForPassword, unlockWithPassword,
  recoveryAuth, parseRecoveryCode, unlockWithRecoveryCode, EnvelopeError,
} from './crypto.js';

const VAULT_AAD = 'bridgework/vault/v1';
// An address no account can have (.invalid, RFC 2606): the server answers it with a made-up kdf
// whose iterations are its configured minimum, which is what a legacy upgrade needs to know.
const PROBE = 'iterations-probe@bridgework.invalid';

function iterationsOf(kdf) {
  const n = kdf && Number(kdf.iterations);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The server's minimum (from the prelogin of an unknown email), never lower than `floor`. */
async function iterationsFor(email, floor = 0) {
  let n = 0;
  try { n = iterationsOf((await api.prelogin(email)).kdf); } catch { n = 0; }
  if (!n) n = iterationsOf((await api.prelogin(PROBE)).kdf);
  if (!n) throw new ApiError(0, 'network', 'We could not prepare your keys. Please try again.');
  return Math.max(n, floor);
}

function wrongKey(message, field) {
  return new ApiError(401, 'invalid_credentials', message, field);
}

/** Registers; answers {user, recoveryCodeText}. The vault is unlocked. */
export async function signUp({ email, displayName, password }) {
  const iterations = await iterationsFor(email);
  const keys = await makeAccountKeys(password, iterations);
  const data = await api.register({
    email, displayName, authKey: keys.authKey, kdf: keys.kdf, vault: keys.vault, recoveryAuth: keys.recoveryAuth,
  });
  await vault.unlock(keys.vaultKey);
  return { user: data.user, recoveryCodeText: keys.recoveryCodeText };
}

/**
 * Signs in; answers {user, recoveryCodeText}, the latter only when a legacy account was upgraded
 * just now (the person must see their first recovery code). The vault is unlocked.
 */
export async function signIn(email, password) {
  const { kdf } = await api.prelogin(email);
  if (!kdf) return signInLegacy(email, password);
  const stretched = await stretch(password, kdf);
  const data = await api.login(email, await authKey(stretched));
  if (!data.vault) throw new ApiError(500, 'internal', 'Your account could not be opened. Please try again.');
  let vaultKey;
  try {
    vaultKey = await openBytes(await wrapKeyBytes(stretched), VAULT_AAD, data.vault.wrapped);
  } catch (e) {
    if (e instanceof EnvelopeError) throw new ApiError(500, 'internal', 'Your private space could not be unlocked with this password. Please try again, or use your recovery code.');
    throw e;
  }
  await vault.unlock(vaultKey);
  return { user: data.user, recoveryCodeText: null };
}

async function signInLegacy(email, password) {
  const data = await api.loginLegacy(email, password);
  const keys = await makeAccountKeys(password, await iterationsFor(PROBE));
  await api.putKeys({ password, authKey: keys.authKey, kdf: keys.kdf, vault: keys.vault, recoveryAuth: keys.recoveryAuth });
  await vault.unlock(keys.vaultKey);
  return { user: data.user, recoveryCodeText: keys.recoveryCodeText };
}

/** Signed in but locked: the password opens the vault the server keeps wrapped. */
export async function unlock(email, password, wrappedVault) {
  const { kdf } = await api.prelogin(email);
  if (!kdf || !wrappedVault) throw wrongKey('Your private space could not be unlocked. Please sign out and sign in again.');
  try {
    const { vaultKey } = await unlockWithPassword(password, kdf, wrappedVault);
    await vault.unlock(vaultKey);
  } catch (e) {
    if (e instanceof EnvelopeError) throw wrongKey('That password does not match. Please try again.', 'password');
    throw e;
  }
}

/**
 * "I forgot my password": the recovery code unwraps the vault key, which is re-wrapped under the
 * new password with a new recovery code. Answers {user, recoveryCodeText} (the NEW code).
 */
export async function recover(email, codeText, newPassword) {
  let code;
  try {
    code = parseRecoveryCode(codeText);
  } catch (e) {
    throw new ApiError(400, 'invalid', e.message, 'code');
  }
  const auth = await recoveryAuth(code);
  let start;
  try {
    start = await api.recoverStart(email, auth);
  } catch (e) {
    if (e.code === 'invalid_credentials') throw wrongKey('That recovery code does not match this email address. Please check both and try again.', 'code');
    throw e;
  }
  let vaultKey;
  try {
    vaultKey = await unlockWithRecoveryCode(code, start.vault.recovery);
  } catch (e) {
    throw wrongKey('That recovery code does not open this account. Please check it and try again.', 'code');
  }
  const keys = await rewrapForPassword(newPassword, await iterationsFor(email), vaultKey);
  const data = await api.recover({
    email, recoveryAuth: auth, authKey: keys.authKey, kdf: keys.kdf, vault: keys.vault, recoveryAuth2: keys.recoveryAuth,
  });
  await vault.unlock(vaultKey);
  return { user: data.user, recoveryCodeText: keys.recoveryCodeText };
}

/** The authKey of the signed-in person's password (to confirm it is them). */
export async function authKeyFor(email, password) {
  const { kdf } = await api.prelogin(email);
  if (!kdf) throw wrongKey('Please sign out and sign in again first.');
  return authKey(await stretch(password, kdf));
}

/** A new password for the same vault key, and a new recovery code; answers the new code's text. */
export async function changePassword(email, currentPassword, newPassword) {
  const { kdf } = await api.prelogin(email);
  if (!kdf) throw wrongKey('Please sign out and sign in again first.');
  const currentAuthKey = await authKey(await stretch(currentPassword, kdf));
  const iterations = await iterationsFor(PROBE, iterationsOf(kdf));
  const keys = await vault.withKey((vaultKey) => rewrapForPassword(newPassword, iterations, vaultKey));
  try {
    await api.putKeys({ currentAuthKey, authKey: keys.authKey, kdf: keys.kdf, vault: keys.vault, recoveryAuth: keys.recoveryAuth });
  } catch (e) {
    if (e.code === 'invalid_credentials') e.field = 'current';
    throw e;
  }
  return keys.recoveryCodeText;
}
