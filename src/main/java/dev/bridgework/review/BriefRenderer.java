package dev.bridgework.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a {@link Brief} as Markdown, as a standalone printable HTML page, and as PDF (the same
 * HTML laid out by openhtmltopdf). The three carry the same content in the same order.
 *
 * <p>A partner's text is always text: escaped for HTML/XML in the page and the PDF, and with
 * Markdown's special characters backslash-escaped (CommonMark "Backslash escapes") in the
 * Markdown, so markup someone typed never becomes markup. The page has no scripts and links to
 * nothing; its one inline {@code <style>} is allowed by a CSP hash of exactly that text
 * ({@link #HTML_CSP}), sent with the page instead of the app's usual policy.
 *
 * <p>The PDF ({@link BriefPdf}) embeds its fonts, so non-Latin text reads the same everywhere.
 * Rendering it blocks, so callers run {@link #pdf} on a worker, never on an event loop.
 */
public final class BriefRenderer {
  static final String STYLE = String.join("\n",
      "@page { size: A4; margin: 18mm 16mm; }",
      "body { font-family: 'DejaVu Sans', 'Droid Sans Fallback', system-ui, sans-serif; font-size: 11pt;",
      "  line-height: 1.45; color: #1f2421; max-width: 44em; margin: 2em auto; padding: 0 1em; }",
      "h1 { font-size: 19pt; margin: 0 0 0.2em; }",
      ".who { color: #4a524e; margin: 0 0 1.6em; }",
      "h2 { font-size: 14pt; margin: 1.6em 0 0.3em; padding-bottom: 0.2em; border-bottom: 1px solid #c9d1cc; }",
      "h3 { font-size: 10.5pt; margin: 0.9em 0 0.2em; color: #3b4540; }",
      ".meta { color: #4a524e; margin: 0 0 0.5em; }",
      "blockquote { margin: 0.4em 0; padding: 0.1em 0 0.1em 0.9em; border-left: 3px solid #8fb3a6; }",
      ".text { white-space: pre-wrap; margin: 0.2em 0; }",
      "ul { margin: 0.3em 0; padding-left: 1.3em; }",
      "li { margin: 0.15em 0; }",
      "@media print { body { margin: 0; max-width: none; padding: 0; } }");

  /** The policy sent with the HTML brief: nothing may load or run; only our own style applies. */
  public static final String HTML_CSP = String.join("; ",
      "default-src 'none'",
      "style-src '" + sha256(STYLE) + "'",
      "img-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'");

  private static final Map<String, String> INTENTS = Map.of(
      "listen", "Please just listen",
      "respond", "I'd like a response",
      "discuss", "Let's take this to counseling");

  private static final Map<String, String> ACKS = Map.of(
      "hear_you", "I hear you",
      "thank_you", "Thank you for telling me",
      "understand_more", "I'd like to understand more");

  /** An "&" that would start a character reference ("&amp;", "&#60;") is escaped; any other stays readable. */
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");

  /** Loaded (with the PDF library and its fonts) only when a PDF is first asked for, on a worker. */
  private static final class Pdf {
    static final BriefPdf RENDERER = new BriefPdf();
  }

  // ---------------------------------------------------------------- file names and headings

  public static String fileName(Brief brief, String extension) {
    return "bridgework-brief-" + brief.date() + "." + extension;
  }

  static String title(Brief brief) {
    return "Counseling brief: " + brief.names() + " — " + brief.date();
  }

  static String intentLabel(String intent) {
    return intent == null ? null : INTENTS.getOrDefault(intent, intent);
  }

  static String ackLabel(String ack) {
    return ack == null ? "" : ACKS.getOrDefault(ack, ack);
  }

  // ---------------------------------------------------------------- Markdown

  public String markdown(Brief brief) {
    StringBuilder md = new StringBuilder();
    md.append("# Counseling brief\n\n");
    md.append(mdInline(brief.names())).append(" · ").append(brief.date()).append("\n\n");
    if (brief.items().isEmpty()) {
      md.append("Nothing is on the agenda.\n");
    }
    int number = 1;
    for (Brief.Item item : brief.items()) {
      JsonObject share = item.share();
      md.append("## ").append(number++).append(". ").append(mdInline(share.getString("title", ""))).append("\n\n");
      md.append("Shared by ").append(mdInline(brief.nameOf(share.getString("authorId"))));
      String intent = intentLabel(share.getString("intent"));
      if (intent != null) md.append(" · Intent: ").append(mdInline(intent));
      md.append("\n\n");
      for (Object o : excerpts(share)) {
        md.append(mdBlock(((JsonObject) o).getString("text", ""), "> ", "> ")).append("\n\n");
      }
      String note = share.getString("note");
      if (note != null && !note.isBlank()) {
        md.append("**").append(mdInline(brief.nameOf(share.getString("authorId")))).append("'s note when sharing:**\n\n");
        md.append(mdBlock(note, "", "")).append("\n\n");
      }
      List<JsonObject> responses = responses(share);
      if (!responses.isEmpty()) {
        md.append("**Responses**\n\n");
        for (JsonObject r : responses) {
          md.append(mdBlock(responseText(r), "- **" + mdInline(brief.nameOf(r.getString("authorId"))) + ":** ", "  "))
              .append('\n');
        }
        md.append('\n');
      }
      List<Brief.Member> withNotes = notesBy(brief, item);
      if (!withNotes.isEmpty()) {
        md.append("**Notes for the session**\n\n");
        for (Brief.Member m : withNotes) {
          md.append(mdBlock(item.notes().get(m.id()), "- **" + mdInline(m.displayName()) + ":** ", "  ")).append('\n');
        }
        md.append('\n');
      }
    }
    return md.toString().stripTrailing() + "\n";
  }

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

  // ---------------------------------------------------------------- HTML (also the PDF's source)

  /** The standalone page: well-formed XHTML (openhtmltopdf parses it as XML), valid HTML5 too. */
  public String html(Brief brief) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n")
        .append("<meta charset=\"utf-8\" />\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
        .append("<title>").append(x(title(brief))).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n")
        .append("</head>\n<body>\n<main>\n")
        .append("<h1>Counseling brief</h1>\n")
        .append("<p class=\"who\">").append(x(brief.names())).append(" · ").append(brief.date()).append("</p>\n");
    if (brief.items().isEmpty()) {
      h.append("<p>Nothing is on the agenda.</p>\n");
    }
    int number = 1;
    for (Brief.Item item : brief.items()) {
      JsonObject share = item.share();
      String author = brief.nameOf(share.getString("authorId"));
      h.append("<section>\n<h2 dir=\"auto\">").append(number++).append(". ").append(x(share.getString("title", ""))).append("</h2>\n");
      h.append("<p class=\"meta\">Shared by ").append(x(author));
      String intent = intentLabel(share.getString("intent"));
      if (intent != null) h.append(" · Intent: ").append(x(intent));
      h.append("</p>\n");
      for (Object o : excerpts(share)) {
        h.append("<blockquote><p class=\"text\" dir=\"auto\">").append(x(((JsonObject) o).getString("text", "")))
            .append("</p></blockquote>\n");
      }
      String note = share.getString("note");
      if (note != null && !note.isBlank()) {
        h.append("<h3>").append(x(author)).append("'s note when sharing</h3>\n<p class=\"text\" dir=\"auto\">")
            .append(x(note)).append("</p>\n");
      }
      List<JsonObject> responses = responses(share);
      if (!responses.isEmpty()) {
        h.append("<h3>Responses</h3>\n<ul>\n");
        for (JsonObject r : responses) {
          h.append("<li><strong>").append(x(brief.nameOf(r.getString("authorId")))).append(":</strong> <span class=\"text\" dir=\"auto\">")
              .append(x(responseText(r))).append("</span></li>\n");
        }
        h.append("</ul>\n");
      }
      List<Brief.Member> withNotes = notesBy(brief, item);
      if (!withNotes.isEmpty()) {
        h.append("<h3>Notes for the session</h3>\n<ul>\n");
        for (Brief.Member m : withNotes) {
          h.append("<li><strong>").append(x(m.displayName())).append(":</strong> <span class=\"text\" dir=\"auto\">")
              .append(x(item.notes().get(m.id()))).append("</span></li>\n");
        }
        h.append("</ul>\n");
      }
      h.append("</section>\n");
    }
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
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

  // ---------------------------------------------------------------- PDF

  /** The PDF of {@link #html}: blocking (layout, font parsing, subsetting), call it off the event loop. */
  public byte[] pdf(Brief brief) {
    return Pdf.RENDERER.render(html(brief));
  }

  // ---------------------------------------------------------------- JSON (the counselor's read-only page)

  /**
   * The same content as the other formats, as data for the counselor's page (docs/COUNSELOR.md):
   * names and labels resolved, no ids of people, shares or private work, nothing off the agenda.
   */
  public JsonObject json(Brief brief) {
    JsonArray items = new JsonArray();
    for (Brief.Item item : brief.items()) {
      JsonObject share = item.share();
      JsonArray excerpts = new JsonArray();
      for (Object o : excerpts(share)) excerpts.add(((JsonObject) o).getString("text", ""));
      JsonArray responses = new JsonArray();
      for (JsonObject r : responses(share)) {
        responses.add(new JsonObject().put("by", brief.nameOf(r.getString("authorId"))).put("kind", r.getString("kind"))
            .put("text", responseText(r)).put("at", r.getString("createdAt")));
      }
      JsonArray notes = new JsonArray();
      for (Brief.Member m : notesBy(brief, item)) {
        notes.add(new JsonObject().put("by", m.displayName()).put("text", item.notes().get(m.id())));
      }
      String note = share.getString("note");
      items.add(new JsonObject().put("title", share.getString("title", ""))
          .put("sharedBy", brief.nameOf(share.getString("authorId")))
          .put("intent", intentLabel(share.getString("intent")))
          .put("excerpts", excerpts)
          .put("note", note == null || note.isBlank() ? null : note)
          .put("responses", responses)
          .put("notes", notes));
    }
    return new JsonObject().put("title", "Counseling brief").put("names", brief.names())
        .put("date", brief.date().toString()).put("items", items);
  }

  // ---------------------------------------------------------------- shared helpers

  private static JsonArray excerpts(JsonObject share) {
    return share.getJsonArray("excerpts", new JsonArray());
  }

  /** Acknowledgements and comments, oldest first, as they happened. */
  private static List<JsonObject> responses(JsonObject share) {
    List<JsonObject> list = new ArrayList<>();
    for (Object o : share.getJsonArray("responses", new JsonArray())) list.add((JsonObject) o);
    list.sort((a, b) -> {
      int byTime = a.getString("createdAt", "").compareTo(b.getString("createdAt", ""));
      return byTime != 0 ? byTime : a.getString("id", "").compareTo(b.getString("id", ""));
    });
    return list;
  }

  private static String responseText(JsonObject response) {
    return "ack".equals(response.getString("kind")) ? ackLabel(response.getString("ack")) : response.getString("text", "");
  }

  /** The members who wrote a note on this item, in the couple's member order. */
  private static List<Brief.Member> notesBy(Brief brief, Brief.Item item) {
    return brief.members().stream()
        .filter(m -> item.notes().get(m.id()) != null && !item.notes().get(m.id()).isBlank())
        .toList();
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
