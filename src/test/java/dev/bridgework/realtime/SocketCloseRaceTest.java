package dev.bridgework.realtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bridgework.couple.Pairing;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many sockets of one couple closing at once: the partner's going away is sent to sockets that may
 * have been closed a moment ago, their close not handled yet. Writing to such a socket must be
 * skipped, not throw ("WebSocket is closed": 517 and 1,767 unhandled exceptions in the benchmark's
 * server logs when it closed its 2,000 load sockets together; {@code SocketWriter} now asks the
 * socket first). On this machine the burst here did not hit that moment before the fix either, so
 * this guards the scenario (no error logged, the remaining device told), not the exact timing; the
 * benchmark's logs are the measure of the fix.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class SocketCloseRaceTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void socketsClosingTogetherLogNoErrorAndTheLastOneStillHearsThePresence() {
    Api alice = server.register("Alice");
    Api bob = server.register("Bob");
    Pairing.pair(alice, bob);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      for (int round = 0; round < 2; round++) {
        // Alice on many devices, Bob on one: his going away is news for every one of hers.
        List<WsClient> hers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          WsClient a = WsClient.open(alice);
          a.welcomeAndResume();
          hers.add(a);
        }
        WsClient his = WsClient.open(bob);
        his.welcomeAndResume();
        try (WsClient watcher = WsClient.open(alice.anotherDevice())) {
          watcher.welcomeAndResume();
          // Hers closing, then his at once, without waiting for any of them: the presence reaches sockets on their way out.
          hers.forEach(s -> s.socket().close());
          his.socket().close();
          watcher.await(f -> "presence".equals(f.getString("type")) && Boolean.FALSE.equals(f.getBoolean("online")),
              Duration.ofSeconds(20));
        }
        hers.forEach(WsClient::close);
        his.close();
      }
      // Its own device's ping answers: the server is still there.
      assertEquals(200, alice.get("/api/me").statusCode());
    } finally {
      root.detachAppender(logs);
    }
    List<String> errors = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ": " + e.getThrowableProxy().getMessage())).toList();
    assertTrue(errors.isEmpty(), "errors logged: " + errors);
  }
}
