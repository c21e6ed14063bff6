package dev.bridgework.share;

import dev.bridgework.web.ApiException;
import dev.bridgework.web.JsonBody;

import java.util.Set;

/** The body of {@code PUT /api/shares/{id}/responses/{rid}}: an acknowledgement or a comment. */
public record ResponseDraft(String kind, String ack, String text) {
  static final Set<String> FIELDS = Set.of("kind", "ack", "text");
  static final Set<String> SERVER_FIELDS = Set.of("id", "authorId", "createdAt");
  static final Set<String> KINDS = Set.of(Share.Response.ACK, Share.Response.COMMENT);
  static final Set<String> ACKS = Set.of("hear_you", "thank_you", "understand_more");

  static ResponseDraft fromBody(JsonBody body) {
    String kind = body.oneOf("kind", true, KINDS);
    if (Share.Response.ACK.equals(kind)) {
      if (!body.isNull("text") && body.has("text")) throw ApiException.invalid("text", "An acknowledgement has no 'text'.");
      return new ResponseDraft(kind, body.oneOf("ack", true, ACKS), null);
    }
    if (!body.isNull("ack") && body.has("ack")) throw ApiException.invalid("ack", "A comment has no 'ack'.");
    return new ResponseDraft(kind, null, body.string("text", true, 1, JsonBody.MAX_TEXT));
  }

  boolean isAck() {
    return Share.Response.ACK.equals(kind);
  }
}
