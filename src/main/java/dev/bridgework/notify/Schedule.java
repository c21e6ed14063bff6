package dev.bridgework.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** When an email may go, in the person's own time zone: quiet hours, the daily digest, the check-in rhythm. */
final class Schedule {
  private Schedule() {}

  /** {@code at}, or the end of the quiet hours it falls into. */
  static Instant outsideQuiet(Instant at, NotificationSettings s) {
    if (!s.hasQuietHours()) return at;
    ZonedDateTime local = at.atZone(s.zoneId());
    LocalTime t = local.toLocalTime();
    LocalTime from = LocalTime.parse(s.quietFrom());
    LocalTime to = LocalTime.parse(s.quietTo());
    boolean quiet = from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
    if (!quiet) return at;
    ZonedDateTime end = local.with(to).withSecond(0).withNano(0);
    if (!end.isAfter(local)) end = end.plusDays(1);
    return end.toInstant();
  }

  /** The next daily digest time strictly after {@code now}, moved out of quiet hours. */
  static Instant nextDigest(Instant now, NotificationSettings s) {
    return outsideQuiet(nextAt(now, s, LocalTime.parse(s.digestAt()), null), s);
  }

  /** The next check-in occurrence strictly after {@code after}, or null when the rhythm is off. */
  static Instant nextCheckin(Instant after, NotificationSettings s) {
    NotificationSettings.Checkin c = s.checkin();
    if ("off".equals(c.every())) return null;
    DayOfWeek day = "weekly".equals(c.every()) ? DayOfWeek.valueOf(c.weekday().toUpperCase(Locale.ROOT)) : null;
    return nextAt(after, s, LocalTime.parse(c.at()), day);
  }

  /** The latest check-in occurrence at or before {@code now}, or null when the rhythm is off. */
  static Instant lastCheckin(Instant now, NotificationSettings s) {
    Instant next = nextCheckin(now, s);
    if (next == null) return null;
    ZonedDateTime z = next.atZone(s.zoneId());
    return ("weekly".equals(s.checkin().every()) ? z.minusWeeks(1) : z.minusDays(1)).toInstant();
  }

  private static Instant nextAt(Instant now, NotificationSettings s, LocalTime time, DayOfWeek day) {
    ZonedDateTime local = now.atZone(s.zoneId());
    ZonedDateTime candidate = local.with(time).withSecond(0).withNano(0);
    if (day != null) candidate = candidate.with(TemporalAdjusters.nextOrSame(day));
    while (!candidate.isAfter(local)) candidate = day != null ? candidate.plusWeeks(1) : candidate.plusDays(1);
    return candidate.toInstant();
  }
}
