package dev.bridgework.notify;

import dev.bridgework.web.ApiException;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * One person's choices ({@code GET/PUT /api/me/notifications}). Defaults are the quiet ones: no
 * email, no receipts, no check-in rhythm. Times are wall-clock times in the person's own IANA zone.
 *
 * @param email      {@code never}, {@code instant} (soon after, outside quiet hours) or {@code digest} (once a day at {@code digestAt})
 * @param quietFrom  start of quiet hours ("22:00"), or null for none
 * @param receipts   the person lets their partner see that they opened a share, and wants to see the same (both must agree)
 * @param checkin    the person's own check-in rhythm
 */
public record NotificationSettings(String email, String digestAt, String zone, String quietFrom, String quietTo,
                                   boolean receipts, Checkin checkin) {
  static final Set<String> EMAIL = Set.of("never", "instant", "digest");
  static final Set<String> EVERY = Set.of("off", "daily", "weekly");
  static final Set<String> CHANNELS = Set.of("email", "app");
  static final Set<String> FIELDS = Set.of("email", "digestAt", "zone", "quietHours", "receipts", "checkin");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  public record Checkin(String every, String weekday, String at, String channel) {
    JsonObject toJson() {
      return new JsonObject().put("every", every).put("weekday", weekday).put("at", at).put("channel", channel);
    }
  }

  public static final NotificationSettings DEFAULT = new NotificationSettings("never", "18:00", "UTC", null, null, false,
      new Checkin("off", "sunday", "19:00", "app"));

  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }

  public boolean hasQuietHours() {
    return quietFrom != null && !quietFrom.equals(quietTo);
  }

  public JsonObject toJson() {
    return new JsonObject().put("email", email).put("digestAt", digestAt).put("zone", zone)
        .put("quietHours", quietFrom == null ? null : new JsonObject().put("from", quietFrom).put("to", quietTo))
        .put("receipts", receipts).put("checkin", checkin.toJson());
  }

  /** As stored; anything missing falls back to the default (a person who never chose anything). */
  public static NotificationSettings fromDocument(JsonObject doc) {
    if (doc == null) return DEFAULT;
    return DEFAULT.merge(doc, false);
  }

  /** A {@code PUT} body over the current settings: fields left out stay; unknown or malformed ones are a 400 naming them. */
  public NotificationSettings merge(JsonObject body, boolean strict) {
    if (strict) unknown(body, FIELDS, "");
    String email = body.containsKey("email") ? oneOf(body, "email", EMAIL, "") : this.email;
    String digestAt = body.containsKey("digestAt") ? time(body, "digestAt", "") : this.digestAt;
    String zone = body.containsKey("zone") ? zone(body) : this.zone;
    String quietFrom = this.quietFrom;
    String quietTo = this.quietTo;
    if (body.containsKey("quietHours")) {
      Object q = body.getValue("quietHours");
      if (q == null) {
        quietFrom = null;
        quietTo = null;
      } else if (q instanceof JsonObject quiet) {
        if (strict) unknown(quiet, Set.of("from", "to"), "quietHours.");
        quietFrom = time(quiet, "from", "quietHours.");
        quietTo = time(quiet, "to", "quietHours.");
      } else {
        throw ApiException.invalid("quietHours", "'quietHours' must be an object {from, to} or null.");
      }
    }
    boolean receipts = this.receipts;
    if (body.containsKey("receipts")) {
      if (!(body.getValue("receipts") instanceof Boolean b)) throw ApiException.invalid("receipts", "'receipts' must be true or false.");
      receipts = b;
    }
    Checkin checkin = this.checkin;
    if (body.containsKey("checkin")) {
      if (!(body.getValue("checkin") instanceof JsonObject c)) throw ApiException.invalid("checkin", "'checkin' must be an object.");
      if (strict) unknown(c, Set.of("every", "weekday", "at", "channel"), "checkin.");
      checkin = new Checkin(
          c.containsKey("every") ? oneOf(c, "every", EVERY, "checkin.") : checkin.every(),
          c.containsKey("weekday") ? weekday(c) : checkin.weekday(),
          c.containsKey("at") ? time(c, "at", "checkin.") : checkin.at(),
          c.containsKey("channel") ? oneOf(c, "channel", CHANNELS, "checkin.") : checkin.channel());
    }
    return new NotificationSettings(email, digestAt, zone, quietFrom, quietTo, receipts, checkin);
  }

  /** No more email of any kind (the one-click unsubscribe): reminders stay, in the app only. */
  public NotificationSettings withoutEmail() {
    return new NotificationSettings("never", digestAt, zone, quietFrom, quietTo, receipts,
        new Checkin(checkin.every(), checkin.weekday(), checkin.at(), "app"));
  }

  private static void unknown(JsonObject body, Set<String> allowed, String prefix) {
    for (String name : body.fieldNames()) {
      if (!allowed.contains(name)) throw ApiException.invalid(prefix + name, "Unknown field '" + prefix + name + "'.");
    }
  }

  private static String string(JsonObject body, String name, String prefix) {
    if (!(body.getValue(name) instanceof String s)) throw ApiException.invalid(prefix + name, "'" + prefix + name + "' must be a string.");
    return s;
  }

  private static String oneOf(JsonObject body, String name, Set<String> values, String prefix) {
    String s = string(body, name, prefix);
    if (!values.contains(s)) {
      throw ApiException.invalid(prefix + name, "'" + prefix + name + "' must be one of "
          + String.join(", ", values.stream().sorted().toList()) + ".");
    }
    return s;
  }

  private static String time(JsonObject body, String name, String prefix) {
    String s = string(body, name, prefix);
    try {
      if (s.length() != 5) throw new DateTimeParseException("length", s, 0);
      return LocalTime.parse(s, HH_MM).format(HH_MM);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(prefix + name, "'" + prefix + name + "' must be a time of day as HH:mm (24 hours).");
    }
  }

  private static String zone(JsonObject body) {
    String s = string(body, "zone", "");
    // Only region ids ("Europe/Berlin") and UTC: fixed offsets would silently ignore daylight saving time.
    if (s.length() > 64 || !(s.equals("UTC") || s.contains("/"))) {
      throw ApiException.invalid("zone", "'zone' must be an IANA time zone such as Europe/Berlin.");
    }
    try {
      return ZoneId.of(s).getId();
    } catch (DateTimeException e) {
      throw ApiException.invalid("zone", "'zone' must be an IANA time zone such as Europe/Berlin.");
    }
  }

  private static String weekday(JsonObject c) {
    String s = string(c, "weekday", "checkin.");
    try {
      return DayOfWeek.valueOf(s.toUpperCase(Locale.ROOT)).name().toLowerCase(Locale.ROOT).equals(s) ? s : fail();
    } catch (IllegalArgumentException e) {
      return fail();
    }
  }

  private static String fail() {
    throw ApiException.invalid("checkin.weekday", "'checkin.weekday' must be a day such as monday.");
  }
}
