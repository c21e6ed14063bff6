package dev.bridgework.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;
import java.util.UUID;

/**
 * Where the server's metrics go: a Prometheus registry that Vert.x itself reports into (HTTP, WebSocket,
 * event bus and worker pools, enabled through {@link VertxOptions} when the Vertx instance is made), and
 * that the application adds its own meters to. Scraped on the management port ({@link ManagementServer}).
 *
 * <p>Labels never carry an id, an email or user text: HTTP requests are labelled by route template
 * ({@code /api/shares/:id}), never by raw path, and event-bus addresses (which hold couple and user ids)
 * are not a label at all.
 */
public final class Telemetry {
  /** The labels Vert.x may put on its meters; {@code HTTP_PATH}, {@code EB_ADDRESS}, {@code REMOTE} and {@code LOCAL} are left out on purpose. */
  static final EnumSet<Label> LABELS = EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
      Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME);

  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry registry;

  private Telemetry(PrometheusMeterRegistry prometheus) {
    this.prometheus = prometheus;
    this.registry = prometheus != null ? prometheus : new CompositeMeterRegistry();
  }

  /** Metrics on: a fresh Prometheus registry of this process (tests make one per server). */
  public static Telemetry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.replaceTagValues(Label.HTTP_ROUTE.toString(), Telemetry::routeTemplate));
    return new Telemetry(registry);
  }

  /**
   * Vert.x Web labels a request with every route it passed, joined by {@code >}
   * ({@code /api/>/api/>/api/>/api/shares>/:id>/:id}: three guards on {@code /api/*}, the feature's
   * mount point, its guard and its handler). The template is the mount point plus the last route:
   * {@code /api/shares/:id}. A request no route answered (an unknown {@code /api/} path) is {@code /api/*}.
   */
  static String routeTemplate(String label) {
    String mount = null;
    String last = null;
    for (String segment : label.split(">")) {
      if (segment.isEmpty()) continue;
      if (segment.startsWith("/api/") && !segment.equals("/api/")) mount = segment;
      last = segment;
    }
    if (last == null) return "none";
    if (last.equals("/api/")) return "/api/*";
    String template = mount == null || last.equals(mount) ? last : mount + (last.equals("/") ? "" : last);
    return template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
  }

  /** Metrics off ({@code management.port: -1}): meters are accepted and dropped. */
  public static Telemetry off() {
    return new Telemetry(null);
  }

  public boolean enabled() {
    return prometheus != null;
  }

  /** The registry the application's own meters go to (a no-op one when metrics are off). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Null when metrics are off. */
  public PrometheusMeterRegistry prometheusRegistry() {
    return prometheus;
  }

  /** The options with Vert.x's own metrics switched on into this registry (unchanged when off). */
  public VertxOptions apply(VertxOptions options) {
    if (!enabled()) return options;
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        // Each Vertx of a JVM (a test starts several) gets its own registry name, so none shares another's meters.
        .setRegistryName("bridgework-" + UUID.randomUUID())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setLabels(LABELS);
    return options.setMetricsOptions(metrics);
  }

  /** A builder for a Vertx that reports into this registry; {@code options} as from {@link #apply}. */
  public VertxBuilder builder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(apply(options));
    return enabled() ? builder.withMetrics(new MicrometerMetricsFactory(prometheus)) : builder;
  }

  /** A local (not clustered) Vertx reporting into this registry. */
  public Vertx vertx(VertxOptions options) {
    return builder(options).build();
  }

  public void close() {
    if (prometheus != null) prometheus.close();
  }
}
