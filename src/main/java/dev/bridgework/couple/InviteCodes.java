package dev.bridgework.couple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One-time invite codes: 10 characters from a 31-character alphabet without look-alikes (no 0/O,
 * 1/I/L), about 49.5 bits from {@link SecureRandom}, shown as {@code ABCD-EFGH-JK}. Only the
 * SHA-256 of a code is stored: a database reader cannot join with it, and the hash is the invite's
 * {@code _id}, so it is unique and looked up directly.
 */
final class InviteCodes {
  static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  static final int LENGTH = 10;
  private final SecureRandom random = new SecureRandom();

  record Code(String display, String hash) {}

  Code generate() {
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    String plain = new String(chars);
    return new Code(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8), hash(plain));
  }

  /** The canonical form of what a person typed (any case, spaces and dashes ignored), or null if it cannot be a code. */
  static String normalize(String input) {
    StringBuilder out = new StringBuilder();
    for (char c : input.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == '-' || Character.isWhitespace(c)) continue;
      if (ALPHABET.indexOf(c) < 0) return null;
      out.append(c);
    }
    return out.length() == LENGTH ? out.toString() : null;
  }

  static String hash(String normalized) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
