package dev.bridgework.web;

import java.util.HashSet;
import java.util.Set;

/**
 * Reading the body of a {@code PUT} of private work (API.md "Private work"): the content arrives
 * sealed by the client in {@code sealed}; a content field sent in the clear is refused with a 400
 * naming it, so a client that forgot to seal learns it at once and nothing readable is stored.
 */
public final class SealedBody {
  private SealedBody() {
  }

  /**
   * @param allowed the plain fields the resource takes (besides {@code sealed} and {@code version})
   * @param clear   the content fields that must travel inside {@code sealed}
   */
  public static JsonBody read(io.vertx.ext.web.RoutingContext ctx, Set<String> allowed, Set<String> clear) {
    Set<String> known = new HashSet<>(allowed);
    known.add("sealed");
    known.add("version");
    known.addAll(clear);
    JsonBody body = JsonBody.read(ctx, known, Set.of("id", "createdAt", "updatedAt", "legacy"));
    for (String field : clear) {
      if (body.has(field)) {
        throw ApiException.invalid(field, "'" + field + "' is private content: seal it in the client and send it inside 'sealed'.");
      }
    }
    return body;
  }

  public static Envelope envelope(JsonBody body) {
    return Envelope.of("sealed", body.raw().getValue("sealed"));
  }
}
