package dev.bridgework.web;

import io.netty.util.NetUtil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses ({@code http.trustedProxies}) whose forwarded headers are believed: single IPv4 or
 * IPv6 addresses and CIDR blocks. Only IP literals are accepted, never host names, so matching a
 * peer or an {@code X-Forwarded-For} entry never costs a DNS lookup.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) return false;
      }
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  /** Parses the configured entries; a malformed one is a start-up error naming it. */
  public static TrustedProxies parse(List<String> entries) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : entries) {
      String text = entry.trim();
      int slash = text.indexOf('/');
      byte[] address = parseAddress(slash < 0 ? text : text.substring(0, slash));
      if (address == null) throw invalid(entry);
      int max = address.length * 8;
      int prefix = max;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw invalid(entry);
        }
        if (prefix < 0 || prefix > max) throw invalid(entry);
      }
      blocks.add(new Block(address, prefix));
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  private static IllegalArgumentException invalid(String entry) {
    return new IllegalArgumentException("http.trustedProxies: '" + entry
        + "' is not an IPv4/IPv6 address or CIDR block (such as 10.0.0.0/8 or fd00::/8)");
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** True when the address (an IP literal) lies in one of the configured blocks. */
  public boolean contains(String address) {
    byte[] bytes = parseAddress(address);
    return bytes != null && contains(bytes);
  }

  boolean contains(byte[] address) {
    for (Block block : blocks) {
      if (block.contains(address)) return true;
    }
    return false;
  }

  /**
   * The bytes of an IP literal (4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address counts as
   * IPv4), or null for anything else. Accepts the forms found in {@code X-Forwarded-For}:
   * {@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code 2001:db8::1}, {@code [2001:db8::1]:443}.
   */
  static byte[] parseAddress(String text) {
    if (text == null) return null;
    String t = text.trim();
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) return null;
      t = t.substring(1, close);
    } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':') && t.indexOf('.') > 0) {
      t = t.substring(0, t.indexOf(':'));
    }
    if (t.isEmpty() || t.indexOf('%') >= 0) return null;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(t);
    if (bytes == null) return null;
    if (bytes.length == 16 && isIpv4Mapped(bytes)) return Arrays.copyOfRange(bytes, 12, 16);
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) return false;
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  /** One spelling per address ({@code 2001:db8::1}, never {@code 2001:0db8:0:0:0:0:0:1}), for stable keys. */
  static String canonical(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }
}
