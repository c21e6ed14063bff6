package dev.bridgework.couple;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The couple feature's own document builders, for the benchmark's data generator: a couple as
 * {@link CoupleRepository#insertCouple} stores it, and a membership as
 * {@link CoupleRepository#insertMembership} does.
 */
public final class StoredCouples {
  private StoredCouples() {}

  public static final String COUPLES = CoupleRepository.COUPLES;
  public static final String MEMBERSHIPS = CoupleRepository.MEMBERSHIPS;

  public static JsonObject couple(String id, String userA, String nameA, String userB, String nameB, String createdAt) {
    return new Couple(id, List.of(new Couple.Member(userA, nameA), new Couple.Member(userB, nameB)), createdAt, null, null)
        .toDocument();
  }

  /** The same shape {@link CoupleRepository#insertMembership} writes. */
  public static JsonObject membership(String userId, String coupleId, long since) {
    return new JsonObject().put("_id", userId).put("coupleId", coupleId).put("since", since);
  }
}
