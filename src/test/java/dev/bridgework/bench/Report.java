package dev.bridgework.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns histograms into numbers (ms), and draws the latency percentile distribution chart as SVG. */
final class Report {
  private Report() {}

  static double ms(long micros) {
    return Window.round(micros / 1000.0, 2);
  }

  static JsonObject latency(Histogram h) {
    if (h.getTotalCount() == 0) return new JsonObject().put("count", 0);
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", ms(h.getValueAtPercentile(50)))
        .put("p90", ms(h.getValueAtPercentile(90)))
        .put("p95", ms(h.getValueAtPercentile(95)))
        .put("p99", ms(h.getValueAtPercentile(99)))
        .put("p999", ms(h.getValueAtPercentile(99.9)))
        .put("max", ms(h.getMaxValue()))
        .put("mean", Window.round(h.getMean() / 1000.0, 2));
  }

  static String fmt(double v) {
    if (v < 0) return "n/a";
    if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** One curve per series: latency (ms, linear y) against percentile (log x, 0% .. 99.99%). */
  static void percentileChart(Map<String, Histogram> series, String title, Path file) throws IOException {
    String[] colors = {"#c0392b", "#2471a3", "#7d3c98", "#229954"};
    int width = 940;
    int height = 480;
    int left = 70;
    int right = 270;
    int top = 50;
    int bottom = 60;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double maxX = 4; // log10(1 / (1 - 0.9999))

    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    double maxMs = 0;
    for (Map.Entry<String, Histogram> e : series.entrySet()) {
      List<double[]> points = new ArrayList<>();
      Histogram h = e.getValue();
      if (h.getTotalCount() == 0) continue;
      for (HistogramIterationValue v : h.percentiles(5)) {
        double p = v.getPercentileLevelIteratedTo() / 100.0;
        double x = p >= 1 ? maxX : Math.min(maxX, Math.log10(1 / (1 - p)));
        double y = h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0;
        points.add(new double[] {x, y});
        if (x >= maxX) break;
      }
      if (points.get(points.size() - 1)[0] < maxX) {
        points.add(new double[] {maxX, h.getMaxValue() / 1000.0});
      }
      for (double[] pt : points) maxMs = Math.max(maxMs, pt[1]);
      curves.put(e.getKey(), points);
    }
    double yMax = niceCeiling(Math.max(1, maxMs));

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        width, height, width, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", left, escape(title)));
    // Grid and axes.
    String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%"};
    for (int i = 0; i <= 4; i++) {
      double x = left + plotW * i / maxX;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x, top, x, top + plotH));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", x, top + plotH + 18, xLabels[i]));
    }
    int yTicks = 5;
    for (int i = 0; i <= yTicks; i++) {
      double value = yMax * i / yTicks;
      double y = top + plotH - plotH * i / yTicks;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, y, left + plotW, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left - 6, y + 4,
          value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : fmt(value)));
    }
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>%n", left, top, plotW, plotH));
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile (log scale)</text>%n", left + plotW / 2, height - 16));
    svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">latency (ms)</text>%n", top + plotH / 2));
    // Curves and legend.
    int i = 0;
    for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
      String color = colors[i % colors.length];
      StringBuilder path = new StringBuilder();
      for (double[] pt : e.getValue()) {
        double x = left + plotW * pt[0] / maxX;
        double y = top + plotH - plotH * Math.min(pt[1], yMax) / yMax;
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      }
      // A PUT's response and its delivery nearly coincide: the response is drawn dashed so both show.
      String dash = e.getKey().contains("PUT") ? " stroke-dasharray=\"6 4\"" : "";
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, color, dash));
      double ly = top + 10 + i * 22;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
          left + plotW + 12, ly, left + plotW + 36, ly, color, dash));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", left + plotW + 42, ly + 4, escape(e.getKey())));
      i++;
    }
    svg.append("</svg>\n");
    Files.writeString(file, svg);
  }

  private static double niceCeiling(double v) {
    double exp = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * exp >= v) return m * exp;
    }
    return 10 * exp;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
