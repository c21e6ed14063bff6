package dev.bridgework.realtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * What the server writes to one socket: the server frames of API.md "Real-time", and the
 * back-pressure of a client that does not read. A full write queue pauses delivery until it drains;
 * if it stays full for {@code stallTimeout}, the socket is closed with 1013 (resume later). Runs on
 * the socket's event loop, like its {@link Connection}.
 */
final class SocketWriter {
  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final Duration stallTimeout;
  /** Delivery may go on: the queue drained. */
  private final Runnable drained;
  /** The queue stayed full too long: the connection closes. */
  private final Runnable stalled;
  private boolean draining;
  private boolean stopped;
  private long stallTimer = -1;

  SocketWriter(ServerWebSocket ws, Vertx vertx, Duration stallTimeout, Runnable drained, Runnable stalled) {
    this.ws = ws;
    this.vertx = vertx;
    this.stallTimeout = stallTimeout;
    this.drained = drained;
    this.stalled = stalled;
  }

  void send(JsonObject frame) {
    // Closed by the client a moment ago, its close not handled yet (the connection stops then): nothing
    // more goes out, and asking a closed socket whether its queue is full throws.
    if (stopped || ws.isClosed()) return;
    ws.writeTextMessage(frame.encode());
    // Presence, focus and error frames are small, but a client that never reads must not pile
    // them up either: a full queue starts the same stall clock as events do.
    if (queueFull()) awaitDrain();
  }

  void event(String stream, Object seq, Object kind, Object data, Object at) {
    send(new JsonObject().put("type", "event").put("stream", stream).put("seq", seq)
        .put("kind", kind).put("data", data).put("at", at));
  }

  /** Tells the client to reload a stream's state and follow it from {@code head}. */
  void reset(String stream, long head) {
    send(new JsonObject().put("type", "reset").put("stream", stream).put("head", head));
  }

  void error(String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message));
  }

  /** False once the socket is closed: a closed socket takes nothing more, and delivery stops at the next send. */
  boolean queueFull() {
    return !ws.isClosed() && ws.writeQueueFull();
  }

  /** Pauses delivery until the queue drains; closes the socket (through {@code stalled}) if it does not in time. */
  void awaitDrain() {
    if (draining || stopped) return;
    draining = true;
    ws.drainHandler(v -> {
      draining = false;
      if (stallTimer != -1) vertx.cancelTimer(stallTimer);
      stallTimer = -1;
      drained.run();
    });
    stallTimer = vertx.setTimer(stallTimeout.toMillis(), id -> {
      stallTimer = -1;
      if (draining && !stopped) stalled.run();
    });
  }

  /** Nothing more is written; the stall clock stops. */
  void stop() {
    stopped = true;
    if (stallTimer != -1) vertx.cancelTimer(stallTimer);
    stallTimer = -1;
  }
}
