package dev.bridgework.testing;

import io.vertx.core.json.JsonObject;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;

/**
 * What a client does with keys, exactly as API.md "End-to-end encryption of private work" says:
 * PBKDF2-SHA256 stretching, HKDF-SHA256 labels, AES-256-GCM envelopes with {@code <kind>/<id>} as
 * additional data, and the base32 recovery code. Tests use it to talk to the server as a real
 * client would (the server itself never derives or opens any of this), and the fixed vectors in
 * {@code crypto-vectors.json} pin it to the web app's {@code crypto.js}.
 */
public final class ClientCrypto {
  public static final String VAULT_AAD = "bridgework/vault/v1";
  public static final String SESSION_AAD = "bridgework/session/v1";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64U_D = Base64.getUrlDecoder();
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private ClientCrypto() {
  }

  /** {@code {alg, iterations, salt}}. */
  public record Kdf(int iterations, String salt) {
    public JsonObject toJson() {
      return new JsonObject().put("alg", "PBKDF2-SHA256").put("iterations", iterations).put("salt", salt);
    }

    public static Kdf fromJson(JsonObject json) {
      return new Kdf(json.getInteger("iterations"), json.getString("salt"));
    }

    public static Kdf fresh(int iterations) {
      return new Kdf(iterations, b64(random(16)));
    }
  }

  public static byte[] random(int n) {
    byte[] out = new byte[n];
    RANDOM.nextBytes(out);
    return out;
  }

  public static String b64(byte[] bytes) {
    return B64U.encodeToString(bytes);
  }

  public static byte[] unb64(String text) {
    return B64U_D.decode(text);
  }

  /** PBKDF2-HMAC-SHA256 of the NFC-normalized password, 32 bytes. */
  public static byte[] stretch(String password, Kdf kdf) {
    try {
      // PBEKeySpec takes chars and encodes them as UTF-8 for PBKDF2WithHmacSHA256.
      String nfc = Normalizer.normalize(password, Normalizer.Form.NFC);
      PBEKeySpec spec = new PBEKeySpec(nfc.toCharArray(), unb64(kdf.salt()), kdf.iterations(), 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HKDF-SHA256 (RFC 5869) with an empty salt and 32 bytes of output. */
  public static byte[] hkdf(byte[] ikm, String info) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String authKey(byte[] stretched) {
    return b64(hkdf(stretched, "bridgework/auth/v1"));
  }

  public static byte[] wrapKey(byte[] stretched) {
    return hkdf(stretched, "bridgework/wrap/v1");
  }

  public static byte[] recoveryKey(byte[] code) {
    return hkdf(code, "bridgework/recovery/v1");
  }

  public static String recoveryAuth(byte[] code) {
    return b64(hkdf(code, "bridgework/recovery-auth/v1"));
  }

  /** 16 bytes as 26 base32 characters (no padding, last 2 bits zero), grouped by five with dashes. */
  public static String formatRecoveryCode(byte[] code) {
    StringBuilder plain = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : code) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        plain.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) plain.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < plain.length(); i++) {
      if (i > 0 && i % 5 == 0) grouped.append('-');
      grouped.append(plain.charAt(i));
    }
    return grouped.toString();
  }

  /** Reads a code back, ignoring case, spaces and dashes; fails on anything else. */
  public static byte[] parseRecoveryCode(String text) {
    // (?U): Unicode white space, as JavaScript's \\s, so a pasted no-break space is ignored on both sides.
    String clean = text.replaceAll("(?U)[\\s-]", "");
    if (clean.length() != 26) throw new IllegalArgumentException("a recovery code has 26 characters");
    byte[] out = new byte[16];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (char c : clean.toCharArray()) {
      // Fold only ASCII a-z: String.toUpperCase() follows the default locale (in Turkish a lower-case
      // i becomes a dotted capital I and a valid code is refused) and maps look-alikes (dotless i,
      // long s) to letters.
      int v = BASE32.indexOf(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
      if (v < 0) throw new IllegalArgumentException("not a base32 character: " + c);
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        if (n < 16) out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) throw new IllegalArgumentException("the last bits of a code are zero");
    return out;
  }

  /** AES-256-GCM envelope {@code {v:1, iv, ct}} of raw bytes, with a fresh random iv. */
  public static JsonObject sealBytes(byte[] key, String aad, byte[] plaintext) {
    return sealBytes(key, aad, plaintext, random(12));
  }

  public static JsonObject sealBytes(byte[] key, String aad, byte[] plaintext, byte[] iv) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return new JsonObject().put("v", 1).put("iv", b64(iv)).put("ct", b64(cipher.doFinal(plaintext)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens an envelope; throws {@link IllegalArgumentException} when it does not open (wrong key, AAD or a flipped bit). */
  public static byte[] openBytes(byte[] key, String aad, JsonObject envelope) {
    // The same shape rules as crypto.js: Java's GCM would accept an iv of any length, WebCrypto's
    // callers here do not, and a missing field must fail as "does not open", not as a NullPointerException.
    if (envelope == null || !(envelope.getValue("v") instanceof Number v && v.doubleValue() == 1)
        || !(envelope.getValue("iv") instanceof String iv64) || !(envelope.getValue("ct") instanceof String ct64)) {
      throw new IllegalArgumentException("not an envelope {v:1, iv, ct}");
    }
    byte[] iv = unb64(iv64);
    if (iv.length != 12) throw new IllegalArgumentException("an envelope's iv is 12 bytes");
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(unb64(ct64));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the envelope does not open", e);
    }
  }

  public static JsonObject seal(byte[] key, String aad, JsonObject content) {
    return sealBytes(key, aad, content.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static JsonObject open(byte[] key, String aad, JsonObject envelope) {
    return new JsonObject(new String(openBytes(key, aad, envelope), StandardCharsets.UTF_8));
  }

  /**
   * Everything a client makes at registration (or a password change, or a recovery): the body
   * fields {@code authKey, kdf, vault, recoveryAuth} plus the secrets it keeps.
   */
  public record Keys(String password, Kdf kdf, byte[] vaultKey, byte[] recoveryCode) {
    public static Keys fresh(String password, int iterations) {
      return new Keys(password, Kdf.fresh(iterations), random(32), random(16));
    }

    /** The same vault key under a new password and a new recovery code. */
    public Keys withPassword(String newPassword, int iterations) {
      return new Keys(newPassword, Kdf.fresh(iterations), vaultKey, random(16));
    }

    public byte[] stretched() {
      return stretch(password, kdf);
    }

    public String authKey() {
      return ClientCrypto.authKey(stretched());
    }

    public String recoveryAuth() {
      return ClientCrypto.recoveryAuth(recoveryCode);
    }

    public JsonObject vault() {
      return new JsonObject()
          .put("wrapped", sealBytes(wrapKey(stretched()), VAULT_AAD, vaultKey))
          .put("recovery", sealBytes(recoveryKey(recoveryCode), VAULT_AAD, vaultKey));
    }

    /** {@code authKey, kdf, vault, recoveryAuth}: what register, a key change and a recovery send. */
    public JsonObject body() {
      return new JsonObject().put("authKey", authKey()).put("kdf", kdf.toJson()).put("vault", vault())
          .put("recoveryAuth", recoveryAuth());
    }

    public JsonObject seal(String kind, String id, JsonObject content) {
      return ClientCrypto.seal(vaultKey, kind + "/" + id, content);
    }

    public JsonObject open(String kind, String id, JsonObject envelope) {
      return ClientCrypto.open(vaultKey, kind + "/" + id, envelope);
    }
  }
}
