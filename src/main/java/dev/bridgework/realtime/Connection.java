package dev.bridgework.realtime;

import dev.bridgework.realtime.ClientFrames.ClientFrame;
import dev.bridgework.realtime.ClientFrames.Focus;
import dev.bridgework.realtime.ClientFrames.Invalid;
import dev.bridgework.realtime.ClientFrames.Ping;
import dev.bridgework.realtime.ClientFrames.Resume;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One open WebSocket (API.md "Real-time"). Everything here runs on the socket's event loop: frames,
 * bus messages, storage answers and timers, so the state needs no locks. Work that changes which
 * streams the socket follows (opening, {@code resume}, membership changes, sweeps) runs one step
 * at a time through {@link #serially}.
 */
final class Connection implements Feed.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** Close codes: RFC 6455 section 7.4.1, plus 4401 (the session ended) in the private range. */
  static final short POLICY_VIOLATION = 1008;
  static final short MESSAGE_TOO_BIG = 1009;
  static final short SERVER_ERROR = 1011;
  static final short TRY_AGAIN_LATER = 1013;
  static final short GOING_AWAY = 1001;
  static final short SESSION_ENDED = 4401;

  final String userId;
  final String sessionKey;
  final Context context;
  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final EventLog log;
  private final Membership membership;
  private final Presence presence;
  private final RealtimeGateway gateway;
  private final RealtimeLimits limits;
  private final TokenBucket messages;
  private final TokenBucket strikes;

  private final Feed self;
  private Feed couple;
  private String coupleId;
  private String partnerId;
  private MessageConsumer<JsonObject> userMessages;
  private MessageConsumer<JsonObject> coupleChannel;

  private Future<Void> work = Future.succeededFuture();
  private boolean announced;
  private boolean welcomed;
  private boolean resumed;
  private boolean synced;
  private boolean closed;
  private boolean pumping;
  private boolean pumpAgain;
  private final SocketWriter out;
  /** The partner's presence as last told to the client (null: not told yet). */
  private Boolean partnerOnline;
  private final List<JsonObject> heldBeforeWelcome = new ArrayList<>();

  Connection(ServerWebSocket ws, Context context, String userId, String sessionKey, Vertx vertx, EventLog log,
             Membership membership, Presence presence, RealtimeGateway gateway, RealtimeLimits limits) {
    this.ws = ws;
    this.context = context;
    this.userId = userId;
    this.sessionKey = sessionKey;
    this.vertx = vertx;
    this.log = log;
    this.membership = membership;
    this.presence = presence;
    this.gateway = gateway;
    this.limits = limits;
    this.messages = new TokenBucket(limits.burst(), limits.messagesPerSecond());
    this.strikes = new TokenBucket(limits.strikes(), 1);
    this.self = new Feed(Stream.self(userId), vertx, log, this, limits);
    this.out = new SocketWriter(ws, vertx, limits.stallTimeout(), this::pump,
        () -> close(TRY_AGAIN_LATER, "Too slow; resume from your last seq"));
  }

  // ---------------------------------------------------------------- opening

  /** Subscribes first, then reads the heads, then says welcome: nothing published since is missed. */
  void open() {
    // Frames wait until welcome is sent, so a quick client's resume finds the socket ready.
    ws.pause();
    ws.setWriteQueueMaxSize(limits.writeQueueBytes());
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.exceptionHandler(this::onSocketError);
    ws.closeHandler(v -> cleanUp());
    userMessages = vertx.eventBus().consumer(Membership.address(userId), m -> onUserMessage(m.body()));
    serially(() -> membership.coupleIdOf(userId)
        .compose(id -> id == null ? Future.succeededFuture((String) null) : membership.partnerOf(userId).map(p -> {
          coupleId = id;
          partnerId = p;
          return id;
        }))
        .compose(id -> {
          if (closed) return Future.failedFuture("closed");
          List<Future<?>> subscriptions = new ArrayList<>();
          subscriptions.add(self.subscribe());
          subscriptions.add(userMessages.completion());
          if (coupleId != null) subscriptions.addAll(followCouple(coupleId));
          return Future.all(subscriptions);
        })
        .compose(v -> {
          if (closed) return Future.failedFuture("closed");
          announced = true;
          presence.connected(userId, coupleId);
          return Future.all(log.head(self.stream), coupleHead(), presence.isOnline(partnerId));
        })
        .map(all -> {
          if (closed) return null;
          partnerOnline = coupleId == null ? null : all.<Boolean>resultAt(2);
          send(new JsonObject().put("type", "welcome").put("userId", userId).put("coupleId", coupleId)
              .put("heads", new JsonObject().put("self", all.<Long>resultAt(0)).put("couple", all.<Long>resultAt(1)))
              .put("partnerOnline", Boolean.TRUE.equals(partnerOnline)));
          welcomed = true;
          heldBeforeWelcome.forEach(this::presenceChanged);
          heldBeforeWelcome.clear();
          ws.resume();
          return null;
        })
        .<Void>mapEmpty()
        .onFailure(e -> {
          if (closed) return;
          LOG.warn("Could not open a real-time connection: {}", e.toString());
          close(SERVER_ERROR, "Please reconnect");
        }));
  }

  private Future<Long> coupleHead() {
    return couple == null ? Future.succeededFuture(0L) : log.head(couple.stream);
  }

  /** Starts the couple stream and its presence channel; answers the subscriptions' completions. */
  private List<Future<?>> followCouple(String id) {
    couple = new Feed(Stream.couple(id), vertx, log, this, limits);
    coupleChannel = vertx.eventBus().consumer(Presence.channel(id), m -> onChannel(id, m.body()));
    return List.of(couple.subscribe(), coupleChannel.completion());
  }

  // ---------------------------------------------------------------- client frames

  /**
   * Vert.x refuses a frame or message over 64 KiB ({@code HttpServerOptions}) by failing the socket,
   * and would then drop the connection without a close frame (1006). RFC 6455 section 7.4.1 has a
   * code for it, 1009 "message too big", and the client deserves to see it: close with it.
   */
  private void onSocketError(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupted) {
      close((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
      close(MESSAGE_TOO_BIG, "Message too big");
    } else {
      LOG.debug("WebSocket error: {}", e.toString());
    }
  }

  private void onBinary(Buffer ignored) {
    if (!admit()) return;
    error("invalid_frame", "Send text frames of JSON; binary frames are not accepted.");
  }

  private void onText(String text) {
    if (!admit()) return;
    ClientFrame frame = ClientFrames.parse(text);
    if (frame instanceof Invalid invalid) {
      error(invalid.code(), invalid.message());
    } else if (frame instanceof Ping) {
      send(new JsonObject().put("type", "pong"));
    } else if (frame instanceof Resume resume) {
      resume(resume);
    } else if (frame instanceof Focus focus) {
      focus(focus);
    }
  }

  /** The per-socket rate limit: over it, an error per frame; far over it (out of strikes), closed. */
  private boolean admit() {
    if (closed) return false;
    if (messages.tryTake()) return true;
    if (!strikes.tryTake()) {
      close(POLICY_VIOLATION, "Too many messages");
      return false;
    }
    error("rate_limited", "Too many messages; slow down.");
    return false;
  }

  private void resume(Resume frame) {
    long selfSeen = frame.selfSeen();
    long coupleSeen = frame.coupleSeen();
    // A later resume on the same socket (a client that thinks it missed something) is answered
    // the same way: everything after the given points, then synced again.
    serially(() -> Future.all(log.head(self.stream), coupleHead()).map(heads -> {
      if (closed) return null;
      resumed = true;
      synced = false;
      begin(self, selfSeen, heads.<Long>resultAt(0));
      if (couple != null) {
        begin(couple, coupleSeen, heads.<Long>resultAt(1));
      } else if (coupleSeen > 0) {
        out.reset(Stream.COUPLE, 0L);
      }
      pump();
      return null;
    }).<Void>mapEmpty().onFailure(e -> {
      if (closed) return;
      LOG.warn("Could not resume a real-time connection: {}", e.toString());
      close(SERVER_ERROR, "Please reconnect");
    }));
  }

  /** Where a stream's replay starts: right after what the client saw, or a reset if that is past the head. */
  private void begin(Feed feed, long seen, long head) {
    if (seen > head) {
      out.reset(feed.stream.type(), head);
      seen = head;
    }
    feed.start(seen, head);
  }

  private void focus(Focus frame) {
    if (coupleId == null) {
      error("not_paired", "Focus is shared with a partner; pair first.");
      return;
    }
    vertx.eventBus().publish(Presence.channel(coupleId), new JsonObject().put("type", "focus").put("coupleId", coupleId)
        .put("userId", userId).put("reviewId", frame.reviewId()).put("shareId", frame.shareId()));
  }

  // ---------------------------------------------------------------- bus messages

  /** Presence and focus from the couple's channel; only the current partner's reach the client. */
  private void onChannel(String channelCouple, JsonObject message) {
    if (closed || message == null || !channelCouple.equals(coupleId)) return;
    if (!channelCouple.equals(message.getString("coupleId"))) return;
    String from = message.getString("userId");
    if (from == null || from.equals(userId) || !from.equals(partnerId)) return;
    switch (String.valueOf(message.getValue("type"))) {
      case "presence" -> {
        JsonObject frame = new JsonObject().put("type", "presence").put("userId", from)
            .put("online", Boolean.TRUE.equals(message.getBoolean("online")));
        if (welcomed) presenceChanged(frame); else heldBeforeWelcome.add(frame);
      }
      case "focus" -> {
        if (synced) {
          send(new JsonObject().put("type", "focus").put("userId", from)
              .put("reviewId", message.getString("reviewId")).put("shareId", message.getString("shareId")));
        }
      }
      default -> { }
    }
  }

  /** Tells the client the partner's presence, but only when it differs from what it was last told. */
  private void presenceChanged(JsonObject frame) {
    boolean online = frame.getBoolean("online");
    if (partnerOnline != null && partnerOnline == online) return;
    partnerOnline = online;
    send(frame);
  }

  /** The couple feature changed this user's membership. */
  private void onUserMessage(JsonObject message) {
    if (closed || message == null || !"membership".equals(message.getValue("type"))) return;
    Object hint = message.getValue("coupleId");
    if (hint == null) {
      // Leaving is obeyed at once, without waiting for storage: pushes to a former member stop now.
      serially(() -> {
        if (coupleId != null) return leaveCouple(true);
        return Future.succeededFuture();
      });
    } else {
      // Joining is checked against storage first: a message never grants access by itself.
      serially(() -> membership.coupleIdOf(userId).compose(this::becomeMemberOf));
    }
  }

  /** The periodic sweep read this user's couple; applies it if it differs (a lost membership message). */
  void membershipIs(String actualCoupleId) {
    serially(() -> becomeMemberOf(actualCoupleId));
  }

  private Future<Void> becomeMemberOf(String actual) {
    if (closed) return Future.succeededFuture();
    if (Objects.equals(actual, coupleId)) {
      // Same couple; but if the socket's user created it alone, the partner may just have joined.
      if (actual == null || partnerId != null) return Future.succeededFuture();
      return membership.partnerOf(userId).compose(partner -> {
        if (closed || partner == null || !Objects.equals(actual, coupleId) || partnerId != null) {
          return Future.succeededFuture();
        }
        partnerId = partner;
        partnerOnline = null;
        return tellPartnerPresence();
      });
    }
    Future<Void> left = coupleId != null ? leaveCouple(true) : Future.succeededFuture();
    if (actual == null) return left;
    return left.compose(v -> membership.partnerOf(userId)).compose(partner -> {
      if (closed) return Future.succeededFuture();
      coupleId = actual;
      partnerId = partner;
      partnerOnline = null;
      return Future.all(followCouple(actual)).compose(v -> log.head(couple.stream)).compose(head -> {
        if (closed || couple == null) return Future.<Void>succeededFuture();
        if (resumed) {
          // A new couple stream: the client has seen none of it, so it gets all of it.
          // Its events follow the replay of the other streams (they wait for synced if it is not sent yet).
          couple.start(0, 0);
          couple.observeHead(head);
          pump();
        } else {
          couple.observeHead(head);
        }
        return tellPartnerPresence();
      });
    });
  }

  private Future<Void> tellPartnerPresence() {
    if (partnerId == null) return Future.succeededFuture();
    String partner = partnerId;
    return presence.isOnline(partner).map(online -> {
      if (!closed && welcomed && partner.equals(partnerId)) {
        presenceChanged(new JsonObject().put("type", "presence").put("userId", partner).put("online", online));
      }
      return null;
    });
  }

  /**
   * Stops the couple stream and its channel at once. Left without its {@code couple.dissolved}
   * (the membership changed first, or the socket was still replaying), the client is told to
   * reload the couple's state with {@code reset} (head 0: no couple stream to follow).
   */
  private Future<Void> leaveCouple(boolean tellClient) {
    Feed old = couple;
    if (tellClient && old != null && old.started() && welcomed) {
      out.reset(Stream.COUPLE, 0L);
    }
    MessageConsumer<JsonObject> channel = coupleChannel;
    couple = null;
    coupleChannel = null;
    coupleId = null;
    partnerId = null;
    partnerOnline = null;
    Future<Void> stopFeed = old == null ? Future.succeededFuture() : old.stop();
    Future<Void> stopChannel = channel == null ? Future.succeededFuture() : channel.unregister().otherwiseEmpty();
    pump();
    return Future.join(stopFeed, stopChannel).mapEmpty();
  }

  /** The sweep's periodic checks that make up for anything the bus dropped. */
  void sweep(Map<String, Long> heads) {
    if (closed) return;
    Long selfHead = heads.get(self.stream.id());
    if (selfHead != null) self.observeHead(selfHead);
    if (couple != null) {
      Long coupleHead = heads.get(couple.stream.id());
      if (coupleHead != null) couple.observeHead(coupleHead);
    }
    pump();
    if (welcomed) tellPartnerPresence();
  }

  Stream selfStream() {
    return self.stream;
  }

  Stream coupleStream() {
    return couple == null ? null : couple.stream;
  }

  // ---------------------------------------------------------------- delivery

  /** Delivers what each stream can deliver; sends {@code synced} once the replay is complete. */
  void pump() {
    if (closed || !resumed) return;
    if (pumping) {
      // Delivering can call back in here (a dissolution stops the couple stream); loop instead.
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        self.pump(synced);
        if (couple != null) couple.pump(synced);
        if (!synced && !closed && self.started() && self.caughtUp()
            && (couple == null || !couple.started() || couple.caughtUp())) {
          synced = true;
          send(new JsonObject().put("type", "synced"));
          pumpAgain = true;
        }
      } while (pumpAgain && !closed);
    } finally {
      pumping = false;
    }
  }

  @Override
  public void progressed() {
    pump();
  }

  @Override
  public boolean writeQueueFull() {
    return out.queueFull();
  }

  @Override
  public void awaitDrain() {
    if (!closed) out.awaitDrain();
  }

  @Override
  public void deliver(Feed feed, JsonObject event) {
    if (!closed) gateway.meters.delivered(feed.stream.type(), feed.isLive(event.getValue("seq")) ? event.getValue("at") : null);
    out.event(feed.stream.type(), event.getValue("seq"), event.getValue("kind"), event.getValue("data"), event.getValue("at"));
    if (feed == couple && "couple.dissolved".equals(event.getValue("kind"))) {
      // The dissolution is the couple stream's last event: nothing of that couple follows it.
      leaveCouple(false);
    }
  }

  @Override
  public void reset(Feed feed, long head) {
    out.reset(feed.stream.type(), head);
  }

  private void error(String code, String message) {
    out.error(code, message);
  }

  /** Writes nothing once closed ({@link #cleanUp} stops the writer). */
  private void send(JsonObject frame) {
    out.send(frame);
  }

  // ---------------------------------------------------------------- closing

  /** Closes from any thread. */
  void closeFromAnywhere(short code, String reason) {
    context.runOnContext(v -> close(code, reason));
  }

  void close(short code, String reason) {
    if (closed) return;
    ws.close(code, reason).onComplete(ar -> cleanUp());
    cleanUp();
  }

  private void cleanUp() {
    if (closed) return;
    closed = true;
    out.stop();
    self.stop();
    if (couple != null) couple.stop();
    if (coupleChannel != null) coupleChannel.unregister();
    if (userMessages != null) userMessages.unregister();
    gateway.forget(this);
    if (announced) presence.disconnected(userId, coupleId);
  }

  /** Runs membership and stream changes one at a time, in the order they were asked for. */
  private void serially(Supplier<Future<Void>> step) {
    work = work.transform(ignored -> closed ? Future.<Void>succeededFuture() : step.get()).otherwiseEmpty();
  }
}
