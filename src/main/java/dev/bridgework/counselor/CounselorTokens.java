package dev.bridgework.counselor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The secret of a counselor link: 32 random bytes (256 bits) from {@link SecureRandom}, as 43
 * base64url characters. The server keeps only its SHA-256 hash: with that much randomness a fast
 * hash is enough (there is nothing to guess), and a stolen database opens no link.
 */
final class CounselorTokens {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9_-]{43}$");
  private final SecureRandom random = new SecureRandom();

  String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return URL.encodeToString(bytes);
  }

  /** True when the text could be a token at all (anything else is refused without a lookup). */
  static boolean wellFormed(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  static String hash(String token) {
    try {
      return URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
