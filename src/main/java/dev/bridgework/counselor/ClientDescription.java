package dev.bridgework.counselor;

import java.util.Locale;

/**
 * A coarse description of the counselor's client from its {@code User-Agent} ("Firefox on macOS"),
 * for the partners' "opened" history: enough to recognise "that was the counselor's office
 * computer", never a version, a device model or an address. Unknown agents are "a web browser".
 * Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
 */
final class ClientDescription {
  private ClientDescription() {}

  static String of(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) return "A web browser";
    String ua = userAgent.toLowerCase(Locale.ROOT);
    String browser = browser(ua);
    String os = os(ua);
    if (browser == null && os == null) return "A web browser";
    if (browser == null) return "A web browser on " + os;
    return os == null ? browser : browser + " on " + os;
  }

  private static String browser(String ua) {
    if (ua.contains("edg/") || ua.contains("edga/") || ua.contains("edgios/")) return "Edge";
    if (ua.contains("opr/") || ua.contains("opera")) return "Opera";
    if (ua.contains("samsungbrowser/")) return "Samsung Internet";
    if (ua.contains("firefox/") || ua.contains("fxios/")) return "Firefox";
    if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) return "Chrome";
    if (ua.contains("safari/") && ua.contains("version/")) return "Safari";
    return null;
  }

  private static String os(String ua) {
    if (ua.contains("iphone") || ua.contains("ipod")) return "iPhone";
    if (ua.contains("ipad")) return "iPad";
    if (ua.contains("android")) return "Android";
    if (ua.contains("windows")) return "Windows";
    if (ua.contains("cros")) return "ChromeOS";
    if (ua.contains("mac os x") || ua.contains("macintosh")) return "macOS";
    if (ua.contains("linux") || ua.contains("x11")) return "Linux";
    return null;
  }
}
