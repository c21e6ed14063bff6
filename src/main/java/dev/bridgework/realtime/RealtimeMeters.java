package dev.bridgework.realtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * The real-time feature's own meters. Labels are the stream type ({@code self}, {@code couple}) and
 * the event kind ({@code share.created}, ...): fixed vocabularies, never an id or text.
 */
public final class RealtimeMeters {
  private final MeterRegistry registry;

  public RealtimeMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public static RealtimeMeters none() {
    return new RealtimeMeters(new CompositeMeterRegistry());
  }

  void appended(String stream, String kind) {
    Counter.builder("bridgework.events.appended").description("Events stored in the event log and published")
        .tag("stream", stream).tag("kind", kind).register(registry).increment();
  }

  /**
   * An event written to a socket; {@code at} is when it was appended (its {@code at} field) for a
   * live event, null for one replayed after a resume (its age is not a delivery lag).
   */
  void delivered(String stream, Object at) {
    Counter.builder("bridgework.events.delivered").description("Events written to WebSockets (live and replayed)")
        .tag("stream", stream).register(registry).increment();
    if (!(at instanceof String text)) return;
    try {
      Duration lag = Duration.between(Instant.parse(text), Instant.now());
      Timer.builder("bridgework.events.delivery.lag").description("From an event's append to its write on a socket")
          .tag("stream", stream).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30))
          .register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
    } catch (DateTimeParseException ignored) {
      // Not a time: nothing to measure.
    }
  }

  /** The open sockets of this node, read when scraped. */
  void sockets(Supplier<Number> open) {
    io.micrometer.core.instrument.Gauge.builder("bridgework.websockets.open", open)
        .description("WebSockets open on this node").register(registry);
  }

  Timer.Sample sweepStarted() {
    return Timer.start(registry);
  }

  void sweepFinished(Timer.Sample sample, boolean ok, int sockets) {
    sample.stop(Timer.builder("bridgework.sweep").description("One run of a periodic sweep")
        .tag("sweep", "realtime").tag("outcome", ok ? "ok" : "failed").register(registry));
    Counter.builder("bridgework.realtime.sweep.sockets").description("Sockets re-checked by sweeps")
        .register(registry).increment(sockets);
  }
}
