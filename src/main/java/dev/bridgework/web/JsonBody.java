package dev.bridgework.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * A request body read strictly: a JSON object whose fields are all known. Getters check types and
 * lengths and fail with 400 {@code invalid} naming the field, so handlers can stay short.
 *
 * <p>Fields the server sets ({@code id}, {@code createdAt}, ...) are listed as "ignored": a client
 * may echo them back and they are silently dropped, as API.md asks.
 */
public final class JsonBody {
  /** One text field may hold at most this many characters (API.md "General"). */
  public static final int MAX_TEXT = 20_000;

  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** Parses the request body; an empty body counts as {@code {}}. */
  public static JsonBody read(RoutingContext ctx, Set<String> allowed, Set<String> ignored) {
    JsonObject json = parseObject(ctx.body() == null ? null : ctx.body().buffer());
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name) && !ignored.contains(name)) {
        throw ApiException.invalid(name, "Unknown field '" + name + "'.");
      }
    }
    for (String name : ignored) {
      if (!allowed.contains(name)) json.remove(name);
    }
    return new JsonBody(json);
  }

  public static JsonObject parseObject(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) return new JsonObject();
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException | IllegalArgumentException e) {
      throw ApiException.invalidJson("The body is not valid JSON.");
    } catch (RuntimeException | StackOverflowError e) {
      // Jackson limits nesting depth and number length; anything it refuses is a client error.
      throw ApiException.invalidJson("The body is not valid JSON.");
    }
    if (!(value instanceof JsonObject obj)) {
      throw ApiException.invalidJson("The body must be a JSON object.");
    }
    return obj;
  }

  public JsonObject raw() {
    return json;
  }

  public boolean has(String name) {
    return json.containsKey(name);
  }

  public boolean isNull(String name) {
    return json.containsKey(name) && json.getValue(name) == null;
  }

  /** A string of {@code min..max} characters; null when absent (or JSON null) and not required. */
  public String string(String name, boolean required, int min, int max) {
    Object v = json.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(name, "'" + name + "' is required.");
      return null;
    }
    if (!(v instanceof String s)) throw ApiException.invalid(name, "'" + name + "' must be a string.");
    checkText(name, s, min, max);
    return s;
  }

  public static void checkText(String name, String s, int min, int max) {
    int length = s.codePointCount(0, s.length());
    if (length < min) {
      throw ApiException.invalid(name, min == 1 ? "'" + name + "' must not be empty." : "'" + name + "' is too short.");
    }
    if (length > max) throw ApiException.invalid(name, "'" + name + "' is longer than " + max + " characters.");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Control characters other than tab and line breaks have no place in what people write and
      // are a classic way to smuggle things past other systems (terminals, logs, CSV).
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        throw ApiException.invalid(name, "'" + name + "' contains a control character.");
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) throw ApiException.invalid(name, "'" + name + "' is not valid Unicode text.");
        i++;
      }
    }
  }

  public String oneOf(String name, boolean required, Set<String> values) {
    String s = string(name, required, 1, 100);
    if (s != null && !values.contains(s)) {
      throw ApiException.invalid(name, "'" + name + "' must be one of " + String.join(", ", values.stream().sorted().toList()) + ".");
    }
    return s;
  }

  public Integer integer(String name, boolean required, long min, long max) {
    Object v = json.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(name, "'" + name + "' is required.");
      return null;
    }
    return checkInteger(name, v, min, max);
  }

  public static int checkInteger(String name, Object v, long min, long max) {
    if (!(v instanceof Number n) || !isWhole(n)) throw ApiException.invalid(name, "'" + name + "' must be a whole number.");
    long l = n.longValue();
    if (l < min || l > max) throw ApiException.invalid(name, "'" + name + "' must be between " + min + " and " + max + ".");
    return (int) l;
  }

  private static boolean isWhole(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) return true;
    if (n instanceof java.math.BigInteger b) return b.bitLength() < 63;
    double d = n.doubleValue();
    return !Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15;
  }

  public Boolean bool(String name, boolean required) {
    Object v = json.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(name, "'" + name + "' is required.");
      return null;
    }
    if (!(v instanceof Boolean b)) throw ApiException.invalid(name, "'" + name + "' must be true or false.");
    return b;
  }

  public JsonArray array(String name, boolean required, int min, int max) {
    Object v = json.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(name, "'" + name + "' is required.");
      return null;
    }
    if (!(v instanceof JsonArray a)) throw ApiException.invalid(name, "'" + name + "' must be an array.");
    if (a.size() < min) throw ApiException.invalid(name, "'" + name + "' needs at least " + min + " item(s).");
    if (a.size() > max) throw ApiException.invalid(name, "'" + name + "' allows at most " + max + " items.");
    return a;
  }

  public JsonObject object(String name, boolean required) {
    Object v = json.getValue(name);
    if (v == null) {
      if (required) throw ApiException.invalid(name, "'" + name + "' is required.");
      return null;
    }
    if (!(v instanceof JsonObject o)) throw ApiException.invalid(name, "'" + name + "' must be an object.");
    return o;
  }

  /** The optimistic-concurrency version a client last saw; null when creating. */
  public Long version() {
    Integer v = integer("version", false, 0, Integer.MAX_VALUE);
    return v == null ? null : v.longValue();
  }
}
