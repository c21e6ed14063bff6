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
 * 800-38D). Sealed values look like {@code e2:<base64(iv || ciphertext || tag)>}; their associated
 * data binds the key's id, the collection, the document's id and the field
 * ({@code <keyId>\n<collection>\n<docId>\n<field>}), so a value moved to another owner, another
 * record or another field of the same record does not open. Values of the first version
 * ({@code e1:}, bound to the key's id only) still open through the bound {@code open}, and are
 * rewritten as {@code e2:} the next time their record is written; nothing writes {@code e1:} any more.
 */
public final class DataKey {
  private static final String PREFIX = "e1:";
  private static final String BOUND = "e2:";
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

  /** The raw key bytes, for tests that prove they are never stored. */
  byte[] rawForTests() {
    return key.getEncoded();
  }

  public String id() {
    return id;
  }

  /** Seals a value for one field of one record: it opens only there ({@link #open(String, String, String, String)}). */
  public String seal(String collection, String docId, String field, String plaintext) {
    if (plaintext == null) return null;
    return BOUND + Base64.getEncoder().encodeToString(encrypt(key, boundAad(collection, docId, field),
        plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  /** Opens a value sealed for this field of this record ({@code e2:}), or an older {@code e1:} value of this key. */
  public String open(String collection, String docId, String field, String sealed) {
    if (sealed == null) return null;
    if (!sealed.startsWith(BOUND)) return open(sealed);
    byte[] bytes = decrypt(key, boundAad(collection, docId, field), Base64.getDecoder().decode(sealed.substring(BOUND.length())));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public String sealJson(String collection, String docId, String field, JsonObject json) {
    return json == null ? null : seal(collection, docId, field, json.encode());
  }

  public JsonObject openJson(String collection, String docId, String field, String sealed) {
    return sealed == null ? null : new JsonObject(open(collection, docId, field, sealed));
  }

  private byte[] boundAad(String collection, String docId, String field) {
    if (collection == null || docId == null || field == null) throw new IllegalArgumentException("a sealed value needs its place");
    return (id + "\n" + collection + "\n" + docId + "\n" + field).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes a first-version ({@code e1:}) value, bound to the key's id only. Nothing in the server
   * writes these any more; tests use it (through {@code LegacySeal}) to prove old data still opens.
   */
  String sealFirstVersion(String plaintext) {
    if (plaintext == null) return null;
    return PREFIX + Base64.getEncoder().encodeToString(encrypt(key, aad, plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  /** Opens a first-version ({@code e1:}) value; an {@code e2:} value needs its place. */
  private String open(String sealed) {
    if (sealed.startsWith(BOUND)) throw new IllegalStateException("a bound value opens only with its collection, id and field");
    if (!sealed.startsWith(PREFIX)) throw new IllegalStateException("value is not sealed");
    byte[] bytes = decrypt(key, aad, Base64.getDecoder().decode(sealed.substring(PREFIX.length())));
    return new String(bytes, StandardCharsets.UTF_8);
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
