package dev.bridgework.bench;

import dev.bridgework.auth.PasswordHasher;
import dev.bridgework.auth.SessionStore;
import dev.bridgework.couple.StoredCouples;
import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.share.Share;
import dev.bridgework.share.StoredShares;
import dev.bridgework.storage.DataKey;
import dev.bridgework.storage.OwnedCollection;
import dev.bridgework.storage.Vault;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Writes one lived-in data set (see {@link LivedData}). Every couple draws from a random generator
 * of its own (seed and couple number), so the set does not depend on how the work is spread over
 * threads. Per couple: two accounts (registered with the same client keys, so one Argon2id hash
 * serves all), the couple and both memberships, the couple's data key (made by {@link Vault}), its
 * shares with their responses ({@link StoredShares}: sealed per field with that key), the couple
 * stream's events (what the share feature renders for {@code share.created} and
 * {@code response.created}, sealed as the event log seals them: bound to the event's id and field,
 * numbered, tagged) and its counter;
 * per person: private reflections, check-ins and parts as their client seals them (envelopes under
 * the person's vault key), listed in the owner's directory, each with its {@code *.saved} event on
 * the person's self stream; and one session each ({@link SessionStore}).
 */
final class LivedWriter {
  private static final int CHUNK = 50;
  private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
  private static final String[] SENTENCES = {
      "When you came home late on Thursday I told myself it did not matter.",
      "I noticed my chest getting tight and I went quiet.",
      "The part of me that keeps the peace wanted to avoid a fight.",
      "What I would like is to hear what the evening was like for you.",
      "I missed you, and I did not know how to say it without blaming you.",
      "Sunday mornings with you are the part of the week I look forward to most.",
      "I felt proud of us when we talked about money without raising our voices.",
      "Sometimes I worry that I am the only one who remembers the small things.",
      "Thank you for calling my mother, it meant more to me than I showed.",
      "I want us to plan the summer together instead of deciding it in a rush."};
  private static final String[] RESPONSES = {
      "Thank you for telling me this, I did not know it felt that way.",
      "I hear you. Can we talk about it on Saturday?",
      "That evening was hard for me too, I should have called.",
      "I love that you noticed this."};
  private static final String[] ACKS = {"hear_you", "thank_you", "understand_more"};

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Vault vault;
  private final LivedData.Spec spec;
  private final List<String> exercises;
  private final OwnedCollection reflections;
  private final OwnedCollection checkins;
  private final OwnedCollection parts;

  LivedWriter(Vertx vertx, MongoClient mongo, Vault vault, LivedData.Spec spec) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.vault = vault;
    this.spec = spec;
    this.exercises = ExerciseCatalog.loadFromClasspath().all().stream().map(e -> e.id()).toList();
    Clock clock = Clock.systemUTC();
    // The features' own collections (names, plain fields), used here only to render a stored item as its event carries it.
    this.reflections = new OwnedCollection(mongo, vault, clock, "reflections", "reflection", List.of("exerciseId", "status"), List.of());
    this.checkins = new OwnedCollection(mongo, vault, clock, "checkins", "checkin", List.of("at"), List.of("intensity"));
    this.parts = new OwnedCollection(mongo, vault, clock, "parts", "part", List.of(), List.of("role"));
  }

  /** The documents of some couples, by collection. */
  private static final class Docs {
    final Map<String, List<JsonObject>> by = new HashMap<>();
    long coupleEvents;
    long selfEvents;
    long shares;
    long items;

    void add(String collection, JsonObject doc) {
      by.computeIfAbsent(collection, k -> new ArrayList<>()).add(doc);
    }

    void addAll(Docs other) {
      other.by.forEach((k, v) -> by.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      coupleEvents += other.coupleEvents;
      selfEvents += other.selfEvents;
      shares += other.shares;
      items += other.items;
    }
  }

  JsonObject write() throws Exception {
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(spec.seed());
    int n = spec.couples();
    List<LivedData.GenCouple> couples = plan(root, n);
    // The client's keys: one PBKDF2 (600,000 iterations) and one registration body for every account.
    ClientCrypto.Keys keys = ClientCrypto.Keys.fresh(LivedData.PASSWORD, BenchMain.KDF_ITERATIONS);
    JsonObject registration = keys.body();
    PasswordHasher hasher = new PasswordHasher(vertx);
    String authHash = LivedData.hash(hasher, registration.getString("authKey"));
    String recoveryHash = LivedData.hash(hasher, registration.getString("recoveryAuth"));
    long t1 = System.nanoTime();
    // The couples' data keys, made and stored by the app's vault.
    List<DataKey> coupleKeys = Async.bounded(n, 64, i -> vault.coupleKey(couples.get(i).id())).await(1800, TimeUnit.SECONDS);
    long t2 = System.nanoTime();
    Docs total = new Docs();
    Future<Void> previous = Future.succeededFuture();
    for (int from = 0; from < n; from += CHUNK) {
      int start = from;
      int end = Math.min(n, from + CHUNK);
      Docs chunk = IntStream.range(start, end).parallel()
          .mapToObj(i -> coupleDocs(couples.get(i), coupleKeys.get(i), keys, registration, authHash, recoveryHash, itemsOf(i)))
          .collect(Docs::new, Docs::addAll, Docs::addAll);
      // One chunk is written while the next is built (bounded: at most one waits).
      previous.await(1800, TimeUnit.SECONDS);
      List<Future<Void>> writes = new ArrayList<>();
      chunk.by.forEach((collection, docs) -> writes.add(LivedData.insertAll(mongo, collection, docs)));
      previous = Future.all(writes).mapEmpty();
      total.coupleEvents += chunk.coupleEvents;
      total.selfEvents += chunk.selfEvents;
      total.shares += chunk.shares;
      total.items += chunk.items;
      if ((from / CHUNK) % 20 == 0) {
        BenchMain.log("lived-in data: %d of %d couples written (%.0f s)", end, n, (System.nanoTime() - t0) / 1e9);
      }
    }
    previous.await(1800, TimeUnit.SECONDS);
    long t3 = System.nanoTime();
    // A live session per person, through the app's session store.
    SessionStore sessions = new SessionStore(mongo, Clock.systemUTC(), Duration.ofHours(12), Duration.ofDays(14), dev.bridgework.cache.NodeCaches.none());
    Async.bounded(2 * n, 64, i -> {
      LivedData.GenCouple c = couples.get(i / 2);
      return sessions.create(i % 2 == 0 ? c.userA() : c.userB());
    }).await(1800, TimeUnit.SECONDS);
    long t4 = System.nanoTime();
    JsonArray list = new JsonArray();
    for (LivedData.GenCouple c : couples) {
      list.add(new JsonArray().add(c.id()).add(c.userA()).add(c.emailA()).add(c.userB()).add(c.emailB()).add(c.events()));
    }
    return new JsonObject().put("couples", list).put("users", 2 * n).put("coupleEvents", total.coupleEvents)
        .put("selfEvents", total.selfEvents).put("shares", total.shares).put("privateItems", total.items)
        .put("sessions", 2 * n)
        .put("seconds", new JsonObject().put("clientKeysAndHashes", Window.round((t1 - t0) / 1e9, 1))
            .put("coupleKeys", Window.round((t2 - t1) / 1e9, 1)).put("documents", Window.round((t3 - t2) / 1e9, 1))
            .put("sessions", Window.round((t4 - t3) / 1e9, 1)));
  }

  /** Couples, their accounts and how many couple events each has: a long tail (exponential), summing to {@code events}. */
  private List<LivedData.GenCouple> plan(SplittableRandom root, int n) {
    double[] weights = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      weights[i] = -Math.log(1 - root.nextDouble());
      sum += weights[i];
    }
    int[] events = new int[n];
    long given = 0;
    for (int i = 0; i < n; i++) {
      events[i] = (int) Math.floor(spec.events() * weights[i] / sum);
      given += events[i];
    }
    for (int i = 0; given < spec.events(); i = (i + 1) % n, given++) events[i]++;
    List<LivedData.GenCouple> couples = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      couples.add(new LivedData.GenCouple(i, LivedData.uuid(root), LivedData.uuid(root), "lived" + (2 * i) + "@bench.example",
          LivedData.uuid(root), "lived" + (2 * i + 1) + "@bench.example", events[i]));
    }
    return couples;
  }

  /** Private items of couple {@code i}'s two people: {@code privateItems} spread evenly over everyone. */
  private int[] itemsOf(int i) {
    int people = 2 * spec.couples();
    int base = spec.privateItems() / people;
    int extra = spec.privateItems() % people;
    return new int[] {base + (2 * i < extra ? 1 : 0), base + (2 * i + 1 < extra ? 1 : 0)};
  }

  private Docs coupleDocs(LivedData.GenCouple c, DataKey key, ClientCrypto.Keys keys, JsonObject registration, String authHash,
                          String recoveryHash, int[] items) {
    SplittableRandom r = new SplittableRandom(spec.seed() * 1_000_003L + c.index());
    Docs d = new Docs();
    long lifeMillis = Duration.ofDays(60 + r.nextInt(300)).toMillis();
    Instant began = BASE.minusMillis(lifeMillis);
    String createdAt = Times.format(began);
    d.add("users", LivedData.user(c.userA(), c.emailA(), "Lived " + (2 * c.index()), createdAt, registration, authHash, recoveryHash));
    d.add("users", LivedData.user(c.userB(), c.emailB(), "Lived " + (2 * c.index() + 1), createdAt, registration, authHash, recoveryHash));
    d.add(StoredCouples.COUPLES, LivedData.couple(c, createdAt));
    d.add(StoredCouples.MEMBERSHIPS, StoredCouples.membership(c.userA(), c.id(), began.toEpochMilli()));
    d.add(StoredCouples.MEMBERSHIPS, StoredCouples.membership(c.userB(), c.id(), began.toEpochMilli()));
    coupleStream(c, key, r, began, lifeMillis, d);
    selfStream(c.userA(), keys, r, began, lifeMillis, items[0], d);
    selfStream(c.userB(), keys, r, began, lifeMillis, items[1], d);
    return d;
  }

  /** Shares, each announced by {@code share.created} and then one {@code response.created} per response. */
  private void coupleStream(LivedData.GenCouple c, DataKey key, SplittableRandom r, Instant began, long lifeMillis, Docs d) {
    String streamId = "c:" + c.id();
    int total = c.events();
    JsonArray listed = new JsonArray();
    long seq = 0;
    long step = Math.max(1, lifeMillis / Math.max(1, total + 1));
    while (seq < total) {
      int responses = (int) Math.min(total - seq - 1, r.nextInt(5));
      String shareId = LivedData.uuid(r);
      String author = r.nextBoolean() ? c.userA() : c.userB();
      String partner = author.equals(c.userA()) ? c.userB() : c.userA();
      Instant at = began.plusMillis(step * (seq + 1));
      String title = "About " + SENTENCES[r.nextInt(SENTENCES.length)].toLowerCase(java.util.Locale.ROOT).replace(".", "");
      String excerpt = text(r, 2 + r.nextInt(4));
      String note = r.nextInt(3) == 0 ? text(r, 1) : null;
      List<Share.Response> given = new ArrayList<>();
      List<JsonObject> eventData = new ArrayList<>();
      eventData.add(StoredShares.share(shareId, c.id(), author, title, excerpt, note, List.of(), Times.format(at), Times.format(at)).toJson());
      for (int k = 0; k < responses; k++) {
        String when = Times.format(at.plusMillis(step * (k + 1)));
        boolean ack = r.nextBoolean();
        given.add(new Share.Response(LivedData.uuid(r), k % 2 == 0 ? partner : author, ack ? Share.Response.ACK : Share.Response.COMMENT,
            ack ? ACKS[r.nextInt(ACKS.length)] : null, ack ? null : RESPONSES[r.nextInt(RESPONSES.length)], when));
        eventData.add(StoredShares.share(shareId, c.id(), author, title, excerpt, note, given, Times.format(at), Times.format(at)).toJson());
      }
      Share share = StoredShares.share(shareId, c.id(), author, title, excerpt, note, given, Times.format(at), Times.format(at));
      d.add(StoredShares.SHARES, StoredShares.document(share, key));
      listed.add(shareId);
      d.shares++;
      JsonArray tagged = new JsonArray();
      for (int k = 0; k < eventData.size(); k++) {
        seq++;
        String eventId = streamId + ":" + seq;
        String when = k == 0 ? Times.format(at) : given.get(k - 1).createdAt();
        d.add("events", new JsonObject().put("_id", eventId).put("stream", "couple").put("key", c.id()).put("seq", seq)
            .put("kind", k == 0 ? "share.created" : "response.created").put("at", when).put("op", LivedData.uuid(r))
            .put("sealed", key.sealJson("events", eventId, "sealed", eventData.get(k))));
        tagged.add(eventId);
        d.coupleEvents++;
      }
      d.add("event_tags", new JsonObject().put("_id", streamId + "|" + StoredShares.tag(shareId)).put("events", tagged));
    }
    d.add(StoredShares.LISTS, new JsonObject().put("_id", c.id()).put("ids", listed));
    d.add("streams", new JsonObject().put("_id", streamId).put("seq", seq).put("gen", seq).put("ops", new JsonObject()));
  }

  /** A person's private items (reflections 60 %, check-ins 20 %, parts 20 %), each with its {@code *.saved} self event. */
  private void selfStream(String userId, ClientCrypto.Keys keys, SplittableRandom r, Instant began, long lifeMillis, int items, Docs d) {
    String streamId = "u:" + userId;
    Map<String, JsonArray> lists = new HashMap<>();
    long step = Math.max(1, lifeMillis / Math.max(1, items + 1));
    for (int k = 0; k < items; k++) {
      String id = LivedData.uuid(r);
      String at = Times.format(began.plusMillis(step * (k + 1)));
      int pick = r.nextInt(10);
      OwnedCollection collection = pick < 6 ? reflections : pick < 8 ? checkins : parts;
      String kind = pick < 6 ? "reflection" : pick < 8 ? "checkin" : "part";
      JsonObject content = new JsonObject().put("text", text(r, 2 + r.nextInt(6)));
      JsonObject doc = new JsonObject().put("_id", id).put("ownerId", userId).put("version", 1L).put("createdAt", at).put("updatedAt", at);
      if (pick < 6) doc.put("exerciseId", exercises.get(r.nextInt(exercises.size()))).put("status", r.nextInt(4) == 0 ? "draft" : "complete");
      else if (pick < 8) doc.put("at", at);
      doc.put(OwnedCollection.SEALED, keys.seal(kind, id, content));
      d.add(collection.name(), doc);
      lists.computeIfAbsent(collection.name() + "_lists", x -> new JsonArray()).add(id);
      d.add("events", new JsonObject().put("_id", streamId + ":" + (k + 1)).put("stream", "self").put("key", userId).put("seq", (long) k + 1)
          .put("kind", kind + ".saved").put("at", at).put("op", LivedData.uuid(r)).put("data", collection.resourceOf(doc)));
      d.items++;
      d.selfEvents++;
    }
    lists.forEach((name, ids) -> d.add(name, new JsonObject().put("_id", userId).put("ids", ids)));
    if (items > 0) d.add("streams", new JsonObject().put("_id", streamId).put("seq", (long) items).put("gen", (long) items).put("ops", new JsonObject()));
  }

  private static String text(SplittableRandom r, int sentences) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      if (i > 0) b.append(' ');
      b.append(SENTENCES[r.nextInt(SENTENCES.length)]);
    }
    return b.toString();
  }
}
