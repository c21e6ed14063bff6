package dev.bridgework.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * One-click unsubscribe tokens: {@code base64url(userId) "." base64url(HMAC-SHA256(key, "unsubscribe/v1:" userId))}.
 * The key is derived from the master key, so a token cannot be forged or moved to another person,
 * and needs no storage. It unsubscribes from email only, which is all it can do.
 */
final class UnsubscribeTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final byte[] key;

  UnsubscribeTokens(byte[] masterKey) {
    this.key = hmac(masterKey, "bridgework/unsubscribe/v1".getBytes(StandardCharsets.UTF_8));
  }

  String tokenFor(String userId) {
    return B64.encodeToString(userId.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(mac(userId));
  }

  /** The person the token names, or null for anything malformed or forged. */
  String userOf(String token) {
    if (token == null || token.length() > 300) return null;
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) return null;
    try {
      String userId = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
      byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      return MessageDigest.isEqual(given, mac(userId)) ? userId : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] mac(String userId) {
    return hmac(key, ("unsubscribe/v1:" + userId).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
