package dev.bridgework.review;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Set;

/**
 * A rendered counseling brief: the bytes and how to send them. {@link #render} makes one in the
 * format asked for: Markdown and HTML at once, PDF on a worker thread (layout and font subsetting
 * block for a while, so never on the event loop, and on a bounded pool of their own: {@link PdfWorkers}).
 */
public record BriefFile(String contentType, String fileName, Buffer body) {
  public static final Set<String> FORMATS = Set.of("md", "html", "pdf");

  /** {@code format} is one of {@link #FORMATS}. */
  static Future<BriefFile> render(Brief brief, String format, BriefRenderer renderer, PdfWorkers pdf) {
    return switch (format) {
      case "md" -> Future.succeededFuture(new BriefFile("text/markdown; charset=utf-8",
          BriefRenderer.fileName(brief, "md"), Buffer.buffer(renderer.markdown(brief))));
      case "html" -> Future.succeededFuture(new BriefFile("text/html; charset=utf-8",
          BriefRenderer.fileName(brief, "html"), Buffer.buffer(renderer.html(brief))));
      case "pdf" -> pdf.submit(() -> new BriefFile("application/pdf",
          BriefRenderer.fileName(brief, "pdf"), Buffer.buffer(renderer.pdf(brief))));
      default -> throw new IllegalArgumentException("unknown brief format " + format);
    };
  }
}
