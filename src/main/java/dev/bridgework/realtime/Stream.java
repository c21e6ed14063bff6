package dev.bridgework.realtime;

/**
 * One ordered event stream: {@code self} per user (their private changes, for their own devices)
 * or {@code couple} per couple (the joint space). Its counter and events are keyed by {@link #id()}.
 */
public record Stream(String type, String key) {
  public static final String SELF = "self";
  public static final String COUPLE = "couple";

  public static Stream self(String userId) {
    return new Stream(SELF, userId);
  }

  public static Stream couple(String coupleId) {
    return new Stream(COUPLE, coupleId);
  }

  /** The counter's {@code _id}; events are {@code id() + ":" + seq}. */
  public String id() {
    return (SELF.equals(type) ? "u:" : "c:") + key;
  }

  public String eventId(long seq) {
    return id() + ":" + seq;
  }

  /** The event-bus address live events of this stream are published on. */
  public String address() {
    return "bw." + type + "." + key;
  }
}
