package dev.bridgework.review;

import com.openhtmltopdf.bidi.support.ICUBidiReorderer;
import com.openhtmltopdf.bidi.support.ICUBidiSplitter;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.TextDirection;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;

/**
 * The brief's page laid out as PDF by openhtmltopdf (PDFBox). It embeds DejaVu Sans (Latin,
 * Hebrew and most alphabets; from the {@code jasperreports-fonts} artifact) and Droid Sans
 * Fallback (Chinese, Japanese, Korean; {@code src/main/resources/fonts}, see its NOTICE), subset
 * to the glyphs used, so the PDF reads the same on any device; right-to-left runs are reordered
 * with ICU.
 *
 * <p>A class of its own so the PDF library and the fonts are loaded only when a PDF is first
 * asked for, on a worker thread, and not while the application starts on an event loop.
 */
final class BriefPdf {
  private static final Logger LOG = LoggerFactory.getLogger(BriefPdf.class);

  private static final String DEJAVU = "net/sf/jasperreports/fonts/dejavu/";
  private static final String SANS = "DejaVu Sans";
  private static final String FALLBACK = "Droid Sans Fallback";

  /** The font files, read on first use by a worker thread (never at start-up on an event loop). */
  private volatile Fonts fonts;

  private record Fonts(byte[] sans, byte[] sansBold, byte[] sansOblique, byte[] fallback) {
    static Fonts load() {
      // openhtmltopdf logs through java.util.logging by default, with document details at INFO;
      // warnings still reach us through the diagnostic consumer in pdf() (message ids only).
      XRLog.setLoggingEnabled(false);
      return new Fonts(resource(DEJAVU + "DejaVuSans.ttf"), resource(DEJAVU + "DejaVuSans-Bold.ttf"),
          resource(DEJAVU + "DejaVuSans-Oblique.ttf"), resource("fonts/DroidSansFallbackFull.ttf"));
    }
  }

  private Fonts fonts() {
    Fonts loaded = fonts;
    if (loaded == null) {
      synchronized (this) {
        if (fonts == null) fonts = Fonts.load();
        loaded = fonts;
      }
    }
    return loaded;
  }

  /** Lays out the brief page (well-formed XHTML) as PDF. Blocking. */
  byte[] render(String html) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      PdfRendererBuilder builder = new PdfRendererBuilder()
          .useFastMode()
          .useUnicodeBidiSplitter(new ICUBidiSplitter.ICUBidiSplitterFactory())
          .useUnicodeBidiReorderer(new ICUBidiReorderer())
          .defaultTextDirection(TextDirection.LTR)
          // The document references nothing outside itself; refuse to fetch anything at all.
          .useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI)
          .useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI)
          .withDiagnosticConsumer(d -> {
            if (d.getLevel().intValue() >= Level.WARNING.intValue()) {
              LOG.warn("PDF brief rendering: {}", d.getLogMessageId());
            }
          })
          .withProducer("Bridgework")
          .withHtmlContent(html, null)
          .toStream(out);
      // Fonts are parsed only when a glyph is looked up in them: a brief without CJK text never
      // opens the (large) fallback font. Bold CJK uses the regular face rather than none.
      Fonts f = fonts();
      for (FontStyle style : new FontStyle[] {FontStyle.NORMAL, FontStyle.ITALIC, FontStyle.OBLIQUE}) {
        builder.useFont(() -> new ByteArrayInputStream(f.sansBold()), SANS, 700, style, true);
        builder.useFont(() -> new ByteArrayInputStream(f.fallback()), FALLBACK, 400, style, true);
        builder.useFont(() -> new ByteArrayInputStream(f.fallback()), FALLBACK, 700, style, true);
      }
      builder.useFont(() -> new ByteArrayInputStream(f.sans()), SANS, 400, FontStyle.NORMAL, true);
      builder.useFont(() -> new ByteArrayInputStream(f.sansOblique()), SANS, 400, FontStyle.ITALIC, true);
      builder.useFont(() -> new ByteArrayInputStream(f.sansOblique()), SANS, 400, FontStyle.OBLIQUE, true);
      builder.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] resource(String path) {
    try (InputStream in = BriefRenderer.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("font missing from the class path: " + path);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
