package dev.bridgework.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BriefRendererTest {
  static final String ALICE = "a0000000-0000-4000-8000-000000000001";
  static final String BOB = "b0000000-0000-4000-8000-000000000002";
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final String WORLD = "Ça va — 你好 — שלום";

  final BriefRenderer renderer = new BriefRenderer();

  static JsonObject share(String id, String author, String title, String intent, String note, List<String> excerpts,
                          JsonArray responses) {
    JsonArray ex = new JsonArray();
    excerpts.forEach(t -> ex.add(new JsonObject().put("stepId", null).put("text", t)));
    return new JsonObject().put("id", id).put("authorId", author).put("reflectionId", null).put("title", title)
        .put("excerpts", ex).put("note", note).put("intent", intent).put("counseling", true)
        .put("responses", responses).put("createdAt", "2026-01-10T10:00:00.000Z")
        .put("updatedAt", "2026-01-10T10:00:00.000Z").put("version", 1);
  }

  static JsonObject ack(String author, String ack, String at) {
    return new JsonObject().put("id", "r-" + at).put("authorId", author).put("kind", "ack").put("ack", ack)
        .put("text", null).put("createdAt", at);
  }

  static JsonObject comment(String author, String text, String at) {
    return new JsonObject().put("id", "c-" + at).put("authorId", author).put("kind", "comment").put("ack", null)
        .put("text", text).put("createdAt", at);
  }

  static Brief sampleBrief() {
    JsonObject first = share("s1", ALICE, "When dinner went quiet", "respond", "I wrote this after a long walk.",
        List.of("I felt alone at the table.", WORLD), new JsonArray()
            .add(comment(ALICE, "Also: the phone was out again.", "2026-01-11T09:00:00.000Z"))
            .add(ack(BOB, "hear_you", "2026-01-10T12:00:00.000Z")));
    JsonObject second = share("s2", BOB, "Weekend plans " + XSS, "discuss", null,
        List.of("**not bold** and # not a heading\n1. not a list\n- not a bullet", XSS), new JsonArray());
    return new Brief(List.of(new Brief.Member(ALICE, "Alice"), new Brief.Member(BOB, "Bob")), LocalDate.parse("2026-01-31"),
        List.of(new Brief.Item(first, Map.of(ALICE, "Start here, gently.", BOB, "I want to hear more about the walk.")),
            new Brief.Item(second, Map.of(BOB, "Let's keep it short."))));
  }

  @Test
  void markdownHasTitleAgendaInOrderWithNamesIntentsResponsesAndBothNotes() {
    String md = renderer.markdown(sampleBrief());
    assertTrue(md.startsWith("# Counseling brief\n\nAlice & Bob · 2026-01-31\n"), md);
    int first = md.indexOf("## 1. When dinner went quiet");
    int second = md.indexOf("## 2. Weekend plans");
    assertTrue(first > 0 && second > first, md);
    assertTrue(md.indexOf("> I felt alone at the table.") > first);
    assertTrue(md.contains("> Ça va — 你好 — שלום"), md);
    assertTrue(md.contains("Shared by Alice · Intent: I'd like a response"), md);
    assertTrue(md.contains("Shared by Bob · Intent: Let's take this to counseling"), md);
    assertTrue(md.contains("**Alice's note when sharing:**\n\nI wrote this after a long walk."), md);
    // Responses oldest first, each with who wrote it.
    int ack = md.indexOf("- **Bob:** I hear you");
    int comment = md.indexOf("- **Alice:** Also: the phone was out again.");
    assertTrue(ack > 0 && comment > ack, md);
    assertTrue(md.contains("- **Alice:** Start here, gently."), md);
    assertTrue(md.contains("- **Bob:** I want to hear more about the walk."), md);
    assertTrue(md.indexOf("- **Bob:** Let's keep it short.") > second, md);
  }

  @Test
  void markdownEscapesMarkupInPartnersText() {
    String md = renderer.markdown(sampleBrief());
    assertFalse(md.contains(XSS), md);
    assertTrue(md.contains("\\<img src=x onerror=alert(1)\\>"), md);
    assertTrue(md.contains("> \\*\\*not bold\\*\\* and \\# not a heading"), md);
    assertTrue(md.contains("> 1\\. not a list"), md);
    assertTrue(md.contains("> \\- not a bullet"), md);
    assertEquals("\\[link\\](javascript:x) \\_a\\_ \\`code\\` \\&amp; \\| \\~", BriefText.mdInline("[link](javascript:x) _a_ `code` &amp; | ~"));
    assertEquals("\\=== ", BriefText.mdInline("=== "));
    assertEquals("Salt & pepper \\&lt; \\&\\#60;", BriefText.mdInline("Salt & pepper &lt; &#60;"));
  }

  @Test
  void htmlIsEscapedWellFormedAndHasNothingToRunOrLoad() throws Exception {
    String html = renderer.html(sampleBrief());
    assertFalse(html.contains(XSS), html);
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
    assertFalse(html.toLowerCase().contains("<script"));
    assertFalse(html.contains("src=\""));
    assertFalse(html.contains("href="));
    assertTrue(html.contains("<title>Counseling brief: Alice &amp; Bob — 2026-01-31</title>"), html);
    assertTrue(html.contains(WORLD));
    int first = html.indexOf("1. When dinner went quiet");
    int second = html.indexOf("2. Weekend plans &lt;img");
    assertTrue(first > 0 && second > first, html);
    // Well-formed XML: exactly what openhtmltopdf needs, and proof that no tag leaked through.
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, doc.getElementsByTagName("img").getLength());
    assertEquals(1, doc.getElementsByTagName("style").getLength());
    assertEquals(2, doc.getElementsByTagName("section").getLength());
  }

  @Test
  void cspHashMatchesTheExactStyleText() throws Exception {
    String html = renderer.html(sampleBrief());
    String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    String hash = java.util.Base64.getEncoder().encodeToString(
        java.security.MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8)));
    assertTrue(BriefRenderer.HTML_CSP.contains("style-src 'sha256-" + hash + "'"), BriefRenderer.HTML_CSP);
    assertTrue(BriefRenderer.HTML_CSP.contains("default-src 'none'"));
    assertFalse(BriefRenderer.HTML_CSP.contains("unsafe-inline"));
  }

  @Test
  void controlCharactersNeverBreakTheDocument() throws Exception {
    JsonObject odd = share("s3", ALICE, "Bell\u0007 and \u001b escape", "listen", "tab\there\u0000", List.of("\uFFFF"), new JsonArray());
    Brief brief = new Brief(List.of(new Brief.Member(ALICE, "Alice")), LocalDate.parse("2026-02-01"),
        List.of(new Brief.Item(odd, Map.of())));
    String html = renderer.html(brief);
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    assertTrue(html.contains("Bell and  escape"), html);
    assertTrue(renderer.markdown(brief).contains("Please just listen"));
    assertTrue(renderer.pdf(brief).length > 0);
  }

  @Test
  void pdfIsARealPdfWithTheSameContentIncludingNonLatinText() throws Exception {
    byte[] pdf = renderer.pdf(sampleBrief());
    assertEquals("%PDF-", new String(pdf, 0, 5, StandardCharsets.US_ASCII));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Counseling brief"), text);
      assertTrue(text.contains("Alice & Bob · 2026-01-31"), text);
      int first = text.indexOf("1. When dinner went quiet");
      int second = text.indexOf("2. Weekend plans <img src=x onerror=alert(1)>");
      assertTrue(first >= 0 && second > first, text);
      assertTrue(text.contains("Ça va — 你好"), text);
      assertTrue(text.codePoints().anyMatch(cp -> Character.UnicodeBlock.of(cp) == Character.UnicodeBlock.HEBREW), text);
      assertTrue(text.contains("I'd like a response"), text);
      assertTrue(text.contains("I hear you"), text);
      assertTrue(text.contains("Start here, gently."), text);
      assertTrue(text.contains("Let's keep it short."), text);
    }
  }

  @Test
  void emptyAgendaSaysSo() {
    Brief brief = new Brief(List.of(new Brief.Member(ALICE, "Alice"), new Brief.Member(BOB, "Bob")),
        LocalDate.parse("2026-03-01"), List.of());
    assertTrue(renderer.markdown(brief).contains("Nothing is on the agenda."));
    assertTrue(renderer.html(brief).contains("Nothing is on the agenda."));
    assertEquals("bridgework-brief-2026-03-01.pdf", BriefRenderer.fileName(brief, "pdf"));
  }
}
