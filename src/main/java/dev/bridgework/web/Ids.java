package dev.bridgework.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Client-chosen ids are UUIDs (API.md "General"); anything else in a path is a 400. */
public final class Ids {
  private static final Pattern UUID_PATTERN =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private Ids() {}

  public static boolean isUuid(String s) {
    return s != null && UUID_PATTERN.matcher(s).matches();
  }

  /** The path parameter as a canonical lower-case UUID, or 400 {@code invalid} naming it. */
  public static String uuid(String value, String field) {
    if (!isUuid(value)) throw ApiException.invalid(field, "'" + field + "' must be a UUID.");
    return value.toLowerCase();
  }

  public static String random() {
    return UUID.randomUUID().toString();
  }
}
