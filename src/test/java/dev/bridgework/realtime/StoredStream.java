package dev.bridgework.realtime;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A stream as the event log stores it, read back whole for the fault tests' "exactly once" checks. */
final class StoredStream {
  private StoredStream() {
  }

  /** Every event of {@code stream}, checked gapless: each taken number is filled, once. */
  static List<JsonObject> gapless(EventLog events, Stream stream) {
    long head = events.head(stream).await();
    List<JsonObject> stored = events.read(stream, 1, head).await();
    assertEquals(LongStream.rangeClosed(1, head).boxed().toList(), stored.stream().map(e -> e.getLong("seq")).toList(),
        "every taken number is filled, once");
    return stored;
  }

  /** How many events of {@code kind} about {@code id} (any id when null) the gapless stream holds. */
  static long count(EventLog events, Stream stream, String kind, String id) {
    return gapless(events, stream).stream().filter(e -> kind.equals(e.getString("kind"))
        && (id == null || id.equals(e.getJsonObject("data").getString("id")))).count();
  }
}
