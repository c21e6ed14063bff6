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

import static dev.bridgework.review.BriefText.mdBlock;
import static dev.bridgework.review.BriefText.mdInline;
import static dev.bridgework.review.BriefText.x;

/**
 * Renders a {@link Brief} as Markdown, as a standalone printable HTML page, and as PDF (the same
 * HTML laid out by openhtmltopdf). The three carry the same content in the same order.
 *
 * <p>A partner's text is always text ({@link BriefText}). The page has no scripts and links to
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

  /** "Shared by Alice", or for answers revealed together (a {@code pair} share) "Answered apart by Alice & Bob". */
  static String sharedBy(Brief brief, JsonObject share, boolean markdown) {
    String names = "pair".equals(share.getString("kind")) ? "Answered apart, revealed together: " + brief.names()
        : "Shared by " + brief.nameOf(share.getString("authorId"));
    return markdown ? mdInline(names) : names;
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
      md.append(sharedBy(brief, share, true));
      String intent = intentLabel(share.getString("intent"));
      if (intent != null) md.append(" · Intent: ").append(mdInline(intent));
      md.append("\n\n");
      for (Object o : excerpts(share)) {
        JsonObject excerpt = (JsonObject) o;
        if (excerpt.getString("authorId") != null) {
          md.append("**").append(mdInline(brief.nameOf(excerpt.getString("authorId")))).append(" answered:**\n\n");
        }
        md.append(mdBlock(excerpt.getString("text", ""), "> ", "> ")).append("\n\n");
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
      h.append("<p class=\"meta\">").append(x(sharedBy(brief, share, false)));
      String intent = intentLabel(share.getString("intent"));
      if (intent != null) h.append(" · Intent: ").append(x(intent));
      h.append("</p>\n");
      for (Object o : excerpts(share)) {
        JsonObject excerpt = (JsonObject) o;
        if (excerpt.getString("authorId") != null) {
          h.append("<p class=\"meta\">").append(x(brief.nameOf(excerpt.getString("authorId")))).append(" answered:</p>\n");
        }
        h.append("<blockquote><p class=\"text\" dir=\"auto\">").append(x(excerpt.getString("text", "")))
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
