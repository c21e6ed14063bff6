package dev.bridgework.realtime;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * What a client may send on {@code /api/ws} (API.md "Real-time"), read and checked: {@code ping},
 * {@code resume} and {@code focus}. Anything else becomes an {@link Invalid} carrying the error to
 * answer with; an error message never echoes what was sent.
 */
final class ClientFrames {
  private static final int MAX_ID = 64;
  private static final Set<String> PING_FIELDS = Set.of("type");
  private static final Set<String> RESUME_FIELDS = Set.of("type", "self", "couple");
  private static final Set<String> FOCUS_FIELDS = Set.of("type", "reviewId", "shareId");

  private ClientFrames() {
  }

  sealed interface ClientFrame permits Ping, Resume, Focus, Invalid {
  }

  record Ping() implements ClientFrame {
  }

  /** The last seq the client has seen of each stream (0: none). */
  record Resume(long selfSeen, long coupleSeen) implements ClientFrame {
  }

  /** Which agenda item the client is looking at; {@code shareId} null: none. */
  record Focus(String reviewId, String shareId) implements ClientFrame {
  }

  record Invalid(String code, String message) implements ClientFrame {
  }

  static ClientFrame parse(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return invalid("A frame must be one JSON object.");
    }
    if (!(frame.getValue("type") instanceof String type)) return invalid("A frame needs a string 'type'.");
    return switch (type) {
      case "ping" -> {
        Invalid unknown = unknownField(frame, PING_FIELDS);
        yield unknown != null ? unknown : new Ping();
      }
      case "resume" -> resume(frame);
      case "focus" -> focus(frame);
      default -> new Invalid("unknown_type", "Unknown frame type; expected resume, focus or ping.");
    };
  }

  private static ClientFrame resume(JsonObject frame) {
    Invalid unknown = unknownField(frame, RESUME_FIELDS);
    if (unknown != null) return unknown;
    Long self = seq(frame, "self");
    if (self == null) return invalidSeq("self");
    Long couple = seq(frame, "couple");
    if (couple == null) return invalidSeq("couple");
    return new Resume(self, couple);
  }

  private static ClientFrame focus(JsonObject frame) {
    Invalid unknown = unknownField(frame, FOCUS_FIELDS);
    if (unknown != null) return unknown;
    Object reviewId = frame.getValue("reviewId");
    Object shareId = frame.getValue("shareId");
    if (!isId(reviewId)) return invalid("'reviewId' must be a string of 1 to 64 characters.");
    if (shareId != null && !isId(shareId)) return invalid("'shareId' must be null or a string of 1 to 64 characters.");
    return new Focus((String) reviewId, (String) shareId);
  }

  private static boolean isId(Object value) {
    return value instanceof String s && !s.isEmpty() && s.length() <= MAX_ID;
  }

  private static Long seq(JsonObject frame, String name) {
    Object value = frame.getValue(name);
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    return null;
  }

  private static Invalid invalidSeq(String name) {
    return invalid("'" + name + "' must be the last seq seen (an integer, 0 or more).");
  }

  private static Invalid unknownField(JsonObject frame, Set<String> allowed) {
    for (String name : frame.fieldNames()) {
      if (!allowed.contains(name)) {
        return invalid("Unknown field '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'.");
      }
    }
    return null;
  }

  private static Invalid invalid(String message) {
    return new Invalid("invalid_frame", message);
  }
}
