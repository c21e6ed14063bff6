package dev.bridgework.web;

import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.Set;

/**
 * A client-sealed envelope (API.md "End-to-end encryption of private work"):
 * {@code {"v":1,"iv":"<12 bytes, base64url>","ct":"<ciphertext with its tag, base64url>"}}. The
 * server cannot open it and checks only its shape: version 1, a 12-byte iv, a base64url ciphertext
 * of at least one tag (16 bytes) and at most {@value #MAX_CT} characters, nothing else.
 */
public record Envelope(JsonObject json) {
  public static final int MAX_CT = 200_000;
  private static final Set<String> FIELDS = Set.of("v", "iv", "ct");
  private static final int IV_BYTES = 12;
  private static final int TAG_BYTES = 16;

  /** Reads the envelope at {@code field}, or fails with 400 {@code invalid} naming the part that is wrong. */
  public static Envelope of(String field, Object value) {
    if (!(value instanceof JsonObject obj)) throw ApiException.invalid(field, "'" + field + "' must be a sealed envelope {v, iv, ct}.");
    for (String name : obj.fieldNames()) {
      if (!FIELDS.contains(name)) throw ApiException.invalid(field + "." + name, "Unknown field '" + name + "' in an envelope.");
    }
    if (!(obj.getValue("v") instanceof Integer v) || v != 1) {
      throw ApiException.invalid(field + ".v", "'" + field + ".v' must be 1.");
    }
    byte[] iv = base64url(field + ".iv", obj.getValue("iv"), 16);
    if (iv.length != IV_BYTES) throw ApiException.invalid(field + ".iv", "'" + field + ".iv' must be 12 bytes.");
    byte[] ct = base64url(field + ".ct", obj.getValue("ct"), MAX_CT);
    if (ct.length < TAG_BYTES) throw ApiException.invalid(field + ".ct", "'" + field + ".ct' is shorter than its tag.");
    return new Envelope(new JsonObject().put("v", 1).put("iv", obj.getString("iv")).put("ct", obj.getString("ct")));
  }

  /** Base64url without padding, at most {@code maxChars} characters; 400 otherwise. */
  public static byte[] base64url(String field, Object value, int maxChars) {
    if (!(value instanceof String s) || s.isEmpty()) throw ApiException.invalid(field, "'" + field + "' must be base64url text.");
    if (s.length() > maxChars) throw ApiException.invalid(field, "'" + field + "' is longer than " + maxChars + " characters.");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) throw ApiException.invalid(field, "'" + field + "' must be base64url text without padding.");
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, "'" + field + "' must be base64url text.");
    }
  }

  /** A base64url key of exactly 32 bytes ({@code authKey}, {@code recoveryAuth}). */
  public static String key32(String field, Object value) {
    byte[] bytes = base64url(field, value, 64);
    if (bytes.length != 32) throw ApiException.invalid(field, "'" + field + "' must be 32 bytes, base64url.");
    return (String) value;
  }
}
