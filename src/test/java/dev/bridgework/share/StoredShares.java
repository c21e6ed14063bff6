package dev.bridgework.share;

import dev.bridgework.storage.DataKey;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The share feature's own document builders, for the benchmark's data generator
 * ({@code dev.bridgework.bench.LivedData}): a generated share is stored exactly as
 * {@link ShareService} stores one ({@link Share#toDocument}), its events carry what the feature's
 * event source renders ({@link Share#toJson}), tagged as the feature tags them.
 */
public final class StoredShares {
  private StoredShares() {}

  public static final String SHARES = ShareRepository.SHARES;
  public static final String LISTS = ShareRepository.LISTS;

  /** A share of one author, with its responses; {@code at} is both its creation and last change. */
  public static Share share(String id, String coupleId, String authorId, String title, String excerpt, String note,
                            List<Share.Response> responses, String createdAt, String updatedAt) {
    return new Share(id, coupleId, authorId, null, null, title, List.of(new Share.Excerpt(null, excerpt)), note, "listen",
        false, List.copyOf(responses), createdAt, updatedAt, 1);
  }

  /** The stored document, every text field sealed for its place with the couple's key. */
  public static JsonObject document(Share share, DataKey coupleKey) {
    return share.toDocument(coupleKey);
  }

  /** The tag every event carrying the share's words is recorded under ({@code event_tags}). */
  public static String tag(String shareId) {
    return ShareService.tag(shareId);
  }
}
