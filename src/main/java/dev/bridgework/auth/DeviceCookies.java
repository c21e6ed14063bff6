package dev.bridgework.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Device cookies (OWASP "Slow down online guessing attacks with device cookies"): after a
 * successful sign-in the browser gets {@code v1.<nonce>.<mac>}, where {@code mac} is an HMAC-SHA256,
 * under a secret derived from the master key, of the account's email key and the nonce. The cookie
 * names the account without showing it (only a server that knows the email can check the mac), and
 * a browser presenting a valid one for the account it signs in to is throttled on a counter of its
 * own rather than the account-wide lockout, so an attacker elsewhere cannot lock its owner out.
 */
final class DeviceCookies {
  static final String COOKIE = "bw_device";
  private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64U_DECODE = Base64.getUrlDecoder();
  private final byte[] secret;
  private final SecureRandom random = new SecureRandom();

  DeviceCookies(byte[] secret) {
    this.secret = secret.clone();
  }

  /** The nonce of a cookie that is valid for this account, or null (absent, forged, or another account's). */
  String nonceFor(String cookie, String emailKey) {
    if (cookie == null || cookie.length() > 200) return null;
    String[] parts = cookie.split("\\.", -1);
    if (parts.length != 3 || !"v1".equals(parts[0]) || parts[1].length() != 22) return null;
    byte[] presented;
    try {
      presented = B64U_DECODE.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return MessageDigest.isEqual(presented, mac(emailKey, parts[1])) ? parts[1] : null;
  }

  /** The cookie to give a browser that just signed in to this account: the one it has if valid, else a new one. */
  String cookieFor(String presented, String emailKey) {
    if (nonceFor(presented, emailKey) != null) return presented;
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String n = B64U.encodeToString(nonce);
    return "v1." + n + "." + B64U.encodeToString(mac(emailKey, n));
  }

  private byte[] mac(String emailKey, String nonce) {
    return AuthService.hmac(secret, "device/v1:" + emailKey + ":" + nonce);
  }
}
