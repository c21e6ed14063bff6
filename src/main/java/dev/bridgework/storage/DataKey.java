package dev.bridgework.storage;

import io.vertx.core.json.JsonObject;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * One person's (or one couple's) data key: AES-256-GCM with a fresh 96-bit IV per value (NIST SP
 * 800-38D), the key's id bound in as associated data so a value cannot be moved to another owner.
 * Sealed values look like {@code e1:<base64(iv || ciphertext || tag)>}.
 */
public final class DataKey {
  private static final String PREFIX = "e1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final SecretKey key;
  private final byte[] aad;

  DataKey(String id, SecretKey key) {
    this.id = id;
    this.key = key;
    this.aad = id.getBytes(StandardCharsets.UTF_8);
  }

  public String id() {
    return id;
  }

  public String seal(String plaintext) {
    if (plaintext == null) return null;
    return PREFIX + Base64.getEncoder().encodeToString(encrypt(key, aad, plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  public String open(String sealed) {
    if (sealed == null) return null;
    if (!sealed.startsWith(PREFIX)) throw new IllegalStateException("value is not sealed");
    byte[] bytes = decrypt(key, aad, Base64.getDecoder().decode(sealed.substring(PREFIX.length())));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public String sealJson(JsonObject json) {
    return json == null ? null : seal(json.encode());
  }

  public JsonObject openJson(String sealed) {
    return sealed == null ? null : new JsonObject(open(sealed));
  }

  static byte[] encrypt(SecretKey key, byte[] aad, byte[] plaintext) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad);
      byte[] ct = cipher.doFinal(plaintext);
      byte[] out = new byte[IV_BYTES + ct.length];
      System.arraycopy(iv, 0, out, 0, IV_BYTES);
      System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  static byte[] decrypt(SecretKey key, byte[] aad, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("decryption failed", e);
    }
  }
}
