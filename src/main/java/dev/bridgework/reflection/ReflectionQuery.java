package dev.bridgework.reflection;

import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /api/reflections?status=&exerciseId=&limit=&before=}. Invalid values are a 400 naming
 * the parameter.
 *
 * <p>Paging is by position, not offset: {@code next} encodes the (createdAt, id) of the last item
 * of a page, and the following page starts strictly after it in the list's order (createdAt desc,
 * then id desc). Reflections written while someone pages are newer, so they sort before the
 * cursor and never push items across a page boundary: nothing is skipped or repeated.
 */
record ReflectionQuery(String status, String exerciseId, int limit, Cursor before) {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  /** A position in the list: the sort key of one reflection. */
  record Cursor(String createdAt, String id) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
        if (parts.length == 2 && Ids.isUuid(parts[1]) && Times.format(Times.parse(parts[0], "before")).equals(parts[0])) {
          return new Cursor(parts[0], parts[1].toLowerCase());
        }
      } catch (IllegalArgumentException | ApiException e) {
        // falls through to the one error below
      }
      throw ApiException.invalid("before", "'before' must be the 'next' value of an earlier page.");
    }
  }

  static ReflectionQuery fromRequest(RoutingContext ctx, ExerciseCatalog catalog) {
    String status = single(ctx, "status");
    if (status != null && !ReflectionInput.STATUSES.contains(status)) {
      throw ApiException.invalid("status", "'status' must be draft or complete.");
    }
    String exerciseId = single(ctx, "exerciseId");
    if (exerciseId != null && catalog.find(exerciseId).isEmpty()) {
      throw ApiException.invalid("exerciseId", "There is no such exercise.");
    }
    String limitText = single(ctx, "limit");
    int limit = DEFAULT_LIMIT;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.invalid("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
      }
    }
    String before = single(ctx, "before");
    return new ReflectionQuery(status, exerciseId, limit, before == null ? null : Cursor.decode(before));
  }

  /** One value per parameter; repeating a parameter is ambiguous, so it is a 400 too. */
  private static String single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) return null;
    if (values.size() > 1) throw ApiException.invalid(name, "'" + name + "' may be given once.");
    return values.get(0);
  }

  /** Which stored reflections this page may hold (plain fields only: status and exerciseId are stored in clear). */
  Predicate<JsonObject> where() {
    return doc -> (status == null || status.equals(doc.getString("status")))
        && (exerciseId == null || exerciseId.equals(doc.getString("exerciseId")))
        && (before == null || after(doc, before));
  }

  /** Strictly after the cursor in the list's order (createdAt desc, then id desc). */
  private static boolean after(JsonObject doc, Cursor cursor) {
    int byTime = doc.getString("createdAt", "").compareTo(cursor.createdAt());
    return byTime < 0 || (byTime == 0 && doc.getString("_id", "").compareTo(cursor.id()) < 0);
  }

  static Comparator<JsonObject> order() {
    return OwnedCollection.newestFirst("createdAt");
  }
}
