package dev.bridgework.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times are stored and sent as ISO-8601 UTC strings of one fixed shape (millisecond precision), so
 * they sort correctly as strings in the database too.
 */
public final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** Parses an ISO-8601 instant from a client, or 400 {@code invalid} naming the field. */
  public static Instant parse(String value, String field) {
    try {
      Instant i = java.time.OffsetDateTime.parse(value).toInstant();
      if (i.isBefore(Instant.parse("1900-01-01T00:00:00Z")) || i.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
        throw ApiException.invalid(field, "'" + field + "' is out of range.");
      }
      return i;
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "'" + field + "' must be an ISO-8601 time such as 2026-01-31T18:00:00Z.");
    }
  }
}
