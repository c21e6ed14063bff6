package dev.bridgework.app;

import dev.bridgework.auth.UserRepository;
import dev.bridgework.couple.Couple;
import dev.bridgework.couple.WordsKeeper;
import dev.bridgework.kept.KeptService;
import dev.bridgework.review.Review;
import dev.bridgework.review.ReviewService;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareService;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps each partner's own words when a joint space ends: one kept item per own share (its title,
 * excerpts, note, intent) and one per review with their own notes in it (with the title only of
 * their own shares: the partner's words go). The items are held for them until their client seals
 * them; their ids are derived from the couple, the thing kept and the keeper, so finishing a
 * dissolution twice keeps nothing twice.
 */
final class KeptWords implements WordsKeeper {
  private final ShareService shares;
  private final ReviewService reviews;
  private final KeptService kept;
  private final UserRepository users;
  private final Clock clock;

  KeptWords(ShareService shares, ReviewService reviews, KeptService kept, UserRepository users, Clock clock) {
    this.shares = shares;
    this.reviews = reviews;
    this.kept = kept;
    this.users = users;
    this.clock = clock;
  }

  @Override
  public Future<Void> keepOwnWords(Couple couple, Set<String> keeperIds) {
    if (keeperIds.isEmpty()) return Future.succeededFuture();
    return Future.all(shares.sharesOf(couple.id()), reviews.list(couple.id())).compose(all -> {
      List<Share> coupleShares = all.resultAt(0);
      List<Review> coupleReviews = all.resultAt(1);
      String keptAt = Times.format(clock.instant());
      Future<Void> chain = Future.succeededFuture();
      for (String keeper : keeperIds) {
        List<Kept> items = itemsOf(couple, keeper, coupleShares, coupleReviews, keptAt);
        if (items.isEmpty()) continue;
        for (Kept item : items) chain = chain.compose(v -> kept.keep(keeper, item.id(), item.content()));
        chain = chain.compose(v -> users.setUnsealed(keeper, true));
      }
      return chain;
    });
  }

  private record Kept(String id, JsonObject content) {}

  private static List<Kept> itemsOf(Couple couple, String keeper, List<Share> coupleShares, List<Review> coupleReviews,
                                    String keptAt) {
    String partnerName = couple.members().stream().filter(m -> !m.id().equals(keeper)).map(Couple.Member::displayName)
        .findFirst().orElse(null);
    List<Kept> items = new ArrayList<>();
    for (Share share : coupleShares) {
      if (share.isPair() ? !share.hasWordsOf(keeper) : !keeper.equals(share.authorId())) continue;
      JsonArray excerpts = new JsonArray();
      // A pair holds both partners' answers: each keeps only their own.
      share.excerpts().stream().filter(e -> !share.isPair() || keeper.equals(e.authorId()))
          .forEach(e -> excerpts.add(new JsonObject().put("stepId", e.stepId()).put("text", e.text())));
      items.add(new Kept(id(couple, "share:" + share.id(), keeper), new JsonObject().put("source", "share")
          .put("title", share.title()).put("excerpts", excerpts).put("note", share.note()).put("intent", share.intent())
          .put("sharedAt", share.createdAt()).put("partnerName", partnerName).put("keptAt", keptAt)));
    }
    Map<String, Share> byId = new java.util.HashMap<>();
    coupleShares.forEach(s -> byId.put(s.id(), s));
    for (Review review : coupleReviews) {
      JsonArray notes = new JsonArray();
      for (Review.AgendaItem item : review.agenda()) {
        String text = item.notes().get(keeper);
        if (text == null || text.isBlank()) continue;
        Share share = byId.get(item.shareId());
        String ownTitle = share != null && share.hasWordsOf(keeper) ? share.title() : null;
        notes.add(new JsonObject().put("text", text).put("shareTitle", ownTitle));
      }
      if (notes.isEmpty()) continue;
      items.add(new Kept(id(couple, "review:" + review.id(), keeper), new JsonObject().put("source", "review")
          .put("reviewCreatedAt", review.createdAt()).put("notes", notes).put("partnerName", partnerName).put("keptAt", keptAt)));
    }
    return items;
  }

  private static String id(Couple couple, String thing, String keeper) {
    return UUID.nameUUIDFromBytes(("kept:" + couple.id() + ":" + thing + ":" + keeper).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
