package dev.bridgework.review;

import java.util.regex.Pattern;

/**
 * How a partner's text is made safe for each format of the brief: it always stays text.
 * Markdown's special characters are backslash-escaped (CommonMark "Backslash escapes"), so markup
 * someone typed never becomes markup; HTML/XML gets its entities; and characters no document
 * should carry are dropped first.
 */
final class BriefText {
  private BriefText() {
  }

  /** An "&" that would start a character reference ("&amp;", "&#60;") is escaped; any other stays readable. */
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");

  /**
   * Escapes a piece of a partner's text so Markdown shows it as typed: every character that can
   * start markup inline is backslash-escaped, and so is one that would start a block at the
   * beginning of a line (a list marker, a heading underline, "1." / "1)").
   */
  static String mdInline(String text) {
    String clean = printable(text);
    StringBuilder out = new StringBuilder(clean.length() + 16);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      if ("\\`*_[]<>#|~!".indexOf(c) >= 0 || (c == '&' && ENTITY.matcher(clean).region(i, clean.length()).lookingAt())) {
        out.append('\\');
      }
      out.append(c);
    }
    String s = out.toString();
    String stripped = s.stripLeading();
    String indent = s.substring(0, s.length() - stripped.length());
    if (!stripped.isEmpty() && "-+=".indexOf(stripped.charAt(0)) >= 0) {
      return indent + "\\" + stripped;
    }
    int digits = 0;
    while (digits < stripped.length() && Character.isDigit(stripped.charAt(digits))) digits++;
    if (digits > 0 && digits < stripped.length() && (stripped.charAt(digits) == '.' || stripped.charAt(digits) == ')')) {
      return indent + stripped.substring(0, digits) + "\\" + stripped.substring(digits);
    }
    return s;
  }

  /** A multi-line text: the first line after {@code first}, the others after {@code rest}. */
  static String mdBlock(String text, String first, String rest) {
    String[] lines = printable(text).split("\r\n|\r|\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String prefix = i == 0 ? first : rest;
      String line = mdInline(lines[i].stripLeading());
      out.append((prefix + line).stripTrailing());
      if (i < lines.length - 1) out.append('\n');
    }
    return out.toString();
  }

  /**
   * Escapes text for HTML and XML alike, dropping characters XML 1.0 cannot carry. Only used for
   * element content and double-quoted attributes, so an apostrophe can stay as it is.
   */
  static String x(String text) {
    String clean = printable(text);
    StringBuilder out = new StringBuilder(clean.length() + 16);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Removes what no document should carry: control characters other than tab and line breaks,
   * and the non-characters U+FFFE/U+FFFF (not allowed in XML 1.0). Paired surrogates stay.
   */
  static String printable(String text) {
    if (text == null) return "";
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
      boolean nonChar = c == '\uFFFE' || c == '\uFFFF' || (c >= 0x7F && c <= 0x9F);
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        if (paired) {
          out.append(c).append(text.charAt(++i));
        }
        continue;
      }
      if (!control && !nonChar) out.append(c);
    }
    return out.toString();
  }
}
