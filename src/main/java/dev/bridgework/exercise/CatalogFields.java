package dev.bridgework.exercise;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field checks every validated catalog of data files shares (exercises, couple prompts): each
 * failure is a {@link CatalogException} naming the file, the entry and the field, so a broken file
 * stops start-up with a message an editor can act on.
 */
public final class CatalogFields {
  private static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

  private CatalogFields() {
  }

  public static Object decode(String where, String text) {
    try {
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new CatalogException(where + ": is not valid JSON (" + e.getMessage() + ")");
    }
  }

  public static String label(JsonObject json) {
    return json.getValue("id") instanceof String id ? " ('" + (id.length() > 100 ? id.substring(0, 100) : id) + "')" : "";
  }

  public static void unknownFields(String where, JsonObject json, Set<String> known) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw new CatalogException(where + ": unknown field '" + name + "' (known: " + sorted(known) + ")");
      }
    }
  }

  public static String id(String where, JsonObject json) {
    String id = text(where, json, "id", 100);
    if (!ID.matcher(id).matches()) {
      throw new CatalogException(where + ": id '" + id + "' must be lower-case letters and digits joined by dashes");
    }
    return id;
  }

  public static String text(String where, JsonObject json, String field, int max) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) throw new CatalogException(where + ": " + field + " must be a non-empty string");
    if (s.length() > max) throw new CatalogException(where + ": " + field + " is longer than " + max + " characters");
    return s;
  }

  public static String optionalText(String where, JsonObject json, String field, int max) {
    Object value = json.getValue(field);
    if (!(value instanceof String s)) throw new CatalogException(where + ": " + field + " must be a string");
    if (s.length() > max) throw new CatalogException(where + ": " + field + " is longer than " + max + " characters");
    return s;
  }

  public static int integer(String where, JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || Math.abs(((Number) value).longValue()) > 1_000_000) {
      throw new CatalogException(where + ": " + field + " must be a whole number");
    }
    return ((Number) value).intValue();
  }

  public static String sorted(Set<String> values) {
    return String.join(", ", values.stream().sorted().toList());
  }
}
