package dev.bridgework.app;

import dev.bridgework.auth.AccountHooks;
import dev.bridgework.auth.AccountRoutes;
import dev.bridgework.auth.AuthRoutes;
import dev.bridgework.auth.AuthService;
import dev.bridgework.auth.PasswordHasher;
import dev.bridgework.auth.SessionAuth;
import dev.bridgework.auth.SessionStore;
import dev.bridgework.auth.Throttle;
import dev.bridgework.auth.UserRepository;
import dev.bridgework.counselor.CounselorRoutes;
import dev.bridgework.counselor.CounselorService;
import dev.bridgework.counselor.GrantRoutes;
import dev.bridgework.couple.CoupleRepository;
import dev.bridgework.couple.CoupleRoutes;
import dev.bridgework.couple.CoupleService;
import dev.bridgework.realtime.EventLog;
import dev.bridgework.realtime.Outbox;
import dev.bridgework.review.Brief;
import dev.bridgework.review.BriefRenderer;
import dev.bridgework.review.JointSpace;
import dev.bridgework.review.PdfWorkers;
import dev.bridgework.review.ReviewRepository;
import dev.bridgework.review.ReviewRoutes;
import dev.bridgework.review.ReviewService;
import dev.bridgework.share.Share;
import dev.bridgework.share.ShareRoutes;
import dev.bridgework.share.ShareService;
import dev.bridgework.checkin.CheckinRoutes;
import dev.bridgework.checkin.CheckinService;
import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.exercise.ExerciseRoutes;
import dev.bridgework.help.HelpDirectory;
import dev.bridgework.help.HelpRoutes;
import dev.bridgework.followup.FollowupRoutes;
import dev.bridgework.followup.FollowupService;
import dev.bridgework.held.HeldRoutes;
import dev.bridgework.held.HeldService;
import dev.bridgework.kept.KeptRoutes;
import dev.bridgework.kept.KeptService;
import dev.bridgework.notify.NotificationService;
import dev.bridgework.notify.NotifyRoutes;
import dev.bridgework.parts.PartsRoutes;
import dev.bridgework.parts.PartsService;
import dev.bridgework.prompt.PromptCatalog;
import dev.bridgework.prompt.PromptRoutes;
import dev.bridgework.prompt.PromptService;
import dev.bridgework.reflection.ReflectionRoutes;
import dev.bridgework.realtime.RealtimeGateway;
import dev.bridgework.realtime.RealtimeLimits;
import dev.bridgework.reflection.ReflectionService;
import dev.bridgework.storage.Database;
import dev.bridgework.storage.Vault;
import dev.bridgework.web.FeatureRoutes;
import dev.bridgework.web.HealthRoutes;
import dev.bridgework.ops.Health;
import dev.bridgework.ops.ManagementServer;
import dev.bridgework.ops.Telemetry;
import dev.bridgework.realtime.RealtimeMeters;
import dev.bridgework.web.HttpVerticle;
import dev.bridgework.web.ClientRequestInfo;
import dev.bridgework.web.OriginGuard;
import dev.bridgework.web.TrustedProxies;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wires the features together: database, repositories, services, routes, and the HTTP verticles.
 * Everything arrives through constructors, so tests start the real thing on port 0.
 */
public final class Application {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final Clock clock;
  private final Database database;
  private final Telemetry telemetry;
  private final Health health;
  private final List<String> deployments = new ArrayList<>();
  private int port;
  private long sweepTimer = -1;
  static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
  private int managementPort = -1;
  private long counselorSweep = -1;
  /** Wrong counselor tokens one client address may send in 15 minutes. */
  public static final int COUNSELOR_WRONG_TOKENS = 20;
  /** How often grants whose time is up are marked expired (with their event) without anyone looking. */
  private static final long COUNSELOR_SWEEP_MS = 60_000;

  // Shared services, built once and used by every HTTP verticle instance.
  final UserRepository users;
  final SessionStore sessions;
  final AuthService auth;
  final SessionAuth sessionAuth;
  final Vault vault;
  final EventLog events;
  final CoupleRepository coupleRepository;
  final ShareService shares;
  final CoupleService couples;
  final ReviewRepository reviewRepository;
  final ReviewService reviews;
  final CounselorService counselors;
  final AccountHooks accountData;
  final ExerciseCatalog catalog;
  final PartsService parts;
  final ReflectionService reflections;
  final CheckinService checkins;
  final KeptService kept;
  final FollowupService followups;
  final RealtimeGateway realtime;
  final HelpDirectory help;
  final Throttle accountThrottle;
  final Throttle addressThrottle;
  final Housekeeping housekeeping;
  /** Failed sign-ins, recoveries and joins are counted in windows of this length (README "Throttles"). */
  static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
  final PromptService prompts;
  final HeldService held;
  final NotificationService notifications;
  /** This node's caches of sessions, memberships, couples and data keys (docs/PERFORMANCE.md "Per-node caches"). */
  final dev.bridgework.cache.NodeCaches caches;

  private Application(Vertx vertx, AppConfig config, Clock clock, Database database, byte[] masterKey,
                      ExerciseCatalog catalog, PromptCatalog promptCatalog, Telemetry telemetry, HelpDirectory help,
                      PasswordHasher.Cost hashCost) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.database = database;
    this.telemetry = telemetry;
    this.health = new Health(vertx, database::ping);
    RealtimeMeters realtimeMeters = new RealtimeMeters(telemetry.registry());
    MongoClient mongo = database.client();
    this.caches = new dev.bridgework.cache.NodeCaches(vertx, config.cacheTtl(), config.cacheAckTimeout());
    this.users = new UserRepository(mongo);
    this.sessions = new SessionStore(mongo, clock, config.sessionIdleTimeout(), config.sessionAbsoluteTimeout(), caches);
    this.accountThrottle = new Throttle(mongo, clock, 10, THROTTLE_WINDOW);
    this.addressThrottle = new Throttle(mongo, clock, 100, THROTTLE_WINDOW);
    this.auth = new AuthService(users, sessions, new PasswordHasher(vertx, hashCost), accountThrottle, addressThrottle, clock, vertx.eventBus(),
        config.minKdfIterations(), AuthService.preloginSecret(masterKey));
    this.sessionAuth = new SessionAuth(sessions);
    this.vault = new Vault(mongo, masterKey, caches);
    this.events = new EventLog(vertx, mongo, database.deferredWrites(), clock, vault, realtimeMeters);
    this.coupleRepository = new CoupleRepository(mongo, caches);
    this.reviewRepository = new ReviewRepository(mongo, database.deferredWrites(), vault);
    this.reviews = new ReviewService(reviewRepository, jointSpace(), events, new BriefRenderer(),
        new PdfWorkers(vertx, config.pdfWorkers(), config.pdfQueue()), clock);
    // Counselor links: 20 wrong tokens per client address in 15 minutes, then 429 (docs/COUNSELOR.md).
    this.counselors = new CounselorService(mongo, vault, reviews, events,
        new Throttle(mongo, clock, COUNSELOR_WRONG_TOKENS, Duration.ofMinutes(15)), clock);
    // Withdrawals and dissolutions reach every feature that keeps something of the joint space.
    this.shares = new ShareService(mongo, coupleRepository, vault, events, clock, catalog, List.of(reviews, promptsListener()));
    // Answer apart, reveal together: a reveal becomes a pair share (docs/PROMPTS.md).
    this.prompts = new PromptService(mongo, promptCatalog, shares, vault, events, coupleRepository, clock);
    this.kept = new KeptService(mongo, vault, events, clock);
    this.notifications = new NotificationService(vertx, mongo, config.notifications(), events, coupleRepository, shares, users, clock,
        masterKey);
    this.held = new HeldService(mongo, vault, events, clock, notifications.heldReminders());
    this.couples = new CoupleService(coupleRepository, users, vault, events,
        accountThrottle, addressThrottle, clock, config.inviteTtl(), vertx.eventBus(),
        List.of(shares, reviews, counselors, prompts, notifications),
        new KeptWords(shares, reviews, kept, users, clock));
    this.catalog = catalog;
    this.help = help;
    this.parts = new PartsService(mongo, vault, events, clock);
    this.reflections = new ReflectionService(mongo, vault, events, clock, catalog);
    this.checkins = new CheckinService(mongo, vault, events, clock);
    this.followups = new FollowupService(mongo, vault, events, clock);
    this.accountData = new AccountData(couples, shares, reflections, parts, checkins, kept, reviews, events, vault, users, held,
        followups, notifications);
    this.realtime = new RealtimeGateway(vertx, sessionAuth, sessions, events, new CoupleMembership(couples),
        RealtimeLimits.defaults(), realtimeMeters);
    this.housekeeping = new Housekeeping(vertx, clock, sessions, List.of(accountThrottle), coupleRepository, couples,
        config.sweepInterval());
  }

  /** One housekeeping pass now (tests). */
  public Future<Void> housekeeping() {
    return housekeeping.sweep();
  }

  /** The couple and share features as the review feature sees them (read when called, after construction). */
  private JointSpace jointSpace() {
    return new JointSpace() {
      @Override
      public Future<JointSpace.Couple> coupleOf(String userId) {
        // From this node's cache, as the route guard of every couple route (forgotten on every node before a join or
        // a dissolution is answered).
        return couples.memberOf(userId).map(c -> c == null ? null : new JointSpace.Couple(c.id(),
            c.members().stream().map(m -> new Brief.Member(m.id(), m.displayName())).toList()));
      }

      @Override
      public Future<List<JsonObject>> sharesOf(String coupleId) {
        return shares.sharesOf(coupleId).map(list -> list.stream().map(Share::toJson).toList());
      }

      @Override
      public Future<Void> reviewClosed(String coupleId, List<String> discussed, List<String> carriedOver, String at) {
        return shares.reviewClosed(coupleId, discussed, carriedOver, at);
      }

      @Override
      public Future<JsonObject> shareOf(String coupleId, String shareId) {
        return shares.find(coupleId, shareId).map(share -> share == null ? null : share.toJson());
      }
    };
  }

  /** The prompt feature hears of share withdrawals; built after the share feature, so reached when called. */
  private dev.bridgework.couple.JointSpaceListener promptsListener() {
    return new dev.bridgework.couple.JointSpaceListener() {
      @Override
      public Future<Void> shareWithdrawn(String coupleId, String shareId) {
        return prompts.shareWithdrawn(coupleId, shareId);
      }

      @Override
      public Future<Void> coupleDissolved(String coupleId) {
        return Future.succeededFuture(); // the couple feature tells the prompt feature itself
      }
    };
  }

  /**
   * The application alone, for embedding it (tests, tools): no management port and no metrics, whatever
   * {@code management.port} says, so several can run in one JVM. {@code Main} uses the other form.
   */
  public static Future<Application> start(Vertx vertx, AppConfig config, Clock clock) {
    return start(vertx, config.withManagementPort(-1), clock, Telemetry.off());
  }

  /**
   * The whole server, management port included ({@code management.port}, -1 = none). {@code telemetry}:
   * the registry {@code vertx} was built to report into ({@link Telemetry#vertx}), or {@link Telemetry#off()}.
   */
  public static Future<Application> start(Vertx vertx, AppConfig config, Clock clock, Telemetry telemetry) {
    return start(vertx, config, clock, telemetry, Embedding.SERVER);
  }

  /** As above, embedded as {@code embedding} says. */
  public static Future<Application> start(Vertx vertx, AppConfig config, Clock clock, Telemetry telemetry, Embedding embedding) {
    com.mongodb.event.CommandListener commands = embedding.commands();
    boolean inMemory = Database.IN_MEMORY.equals(config.dataDir().toString());
    return vertx.executeBlocking(() -> {
          requireReadableTls(config);
          return Vault.loadMasterKey(config.masterKey(), config.dataDir(), inMemory);
        })
        // A broken exercise file stops start-up here, before the database opens, naming the file.
        // So does a broken help file (config/help.yaml), naming the entry.
        .compose(masterKey -> vertx.executeBlocking(ExerciseCatalog::loadFromClasspath)
            .compose(catalog -> vertx.executeBlocking(PromptCatalog::loadFromClasspath)
            .compose(promptCatalog -> vertx.executeBlocking(() -> HelpDirectory.load(config.helpFile()))
            .compose(help -> Database.start(vertx, config.mongoUri(), config.mongoDb(), config.dataDir(),
                    config.mongoTimeout(), telemetry.enabled() ? telemetry.registry() : null, config.embeddedDbPort(), commands)
                .map(db -> new Application(vertx, config, clock, db, masterKey, catalog, promptCatalog, telemetry, help,
                    embedding.hashCost()))))))
        // Invalidations reach this node (cluster-wide) before anything here fills its caches.
        .compose(app -> app.caches.start().compose(v -> app.createIndexes()).compose(v -> app.sweepEvents()).compose(v -> app.realtime.start())
            .compose(v -> app.deployHttp()).compose(v -> app.deployManagement()).map(v -> app.startSweeps()));
  }

  private Application startSweeps() {
    notifications.start();
    counselorSweep = vertx.setPeriodic(COUNSELOR_SWEEP_MS, id -> {
      var sample = io.micrometer.core.instrument.Timer.start(telemetry.registry());
      counselors.sweep().onComplete(ar -> sample.stop(io.micrometer.core.instrument.Timer.builder("bridgework.sweep")
          .description("One run of a periodic sweep").tag("sweep", "counselor").tag("outcome", ar.succeeded() ? "ok" : "failed")
          .register(telemetry.registry())));
    });
    housekeeping.start();
    return this;
  }

  /** A missing or unreadable PEM file stops start-up naming its key, before the database opens. */
  private static void requireReadableTls(AppConfig config) {
    if (!config.tls()) return;
    Map<String, String> files = Map.of("http.tls.certPath", config.tlsCertPath(), "http.tls.keyPath", config.tlsKeyPath());
    files.forEach((key, file) -> {
      if (!Files.isReadable(Path.of(file))) {
        throw new IllegalArgumentException(key + ": cannot read the PEM file '" + file + "'");
      }
    });
  }

  /**
   * Completes the events that changes cut off by a crash still owe (ARCHITECTURE.md "No change
   * without its event"), before serving, then every {@link #SWEEP_EVERY}. The embedded database
   * belongs to this process alone, so at start-up nothing else can be in flight and every listed
   * change is taken up; on a shared MongoDB another node may be mid-request, so only changes older
   * than {@link Outbox#GRACE} are.
   */
  private Future<Void> sweepEvents() {
    return events.outbox().sweep(database.isEmbedded() ? Duration.ZERO : Outbox.GRACE)
        .onSuccess(n -> { if (n > 0) LOG.info("Completed {} event(s) owed by changes cut off earlier", n); })
        .onSuccess(n -> sweepTimer = events.outbox().sweepEvery(vertx, SWEEP_EVERY))
        .mapEmpty();
  }

  private Future<Void> createIndexes() {
    boolean embedded = database.isEmbedded();
    return Future.all(List.of(users.createIndexes(), events.createIndexes(), sessions.createIndexes(embedded),
        accountThrottle.createIndexes(embedded), coupleRepository.createIndexes(embedded), shares.createIndexes(),
        reviewRepository.createIndexes(), parts.createIndexes(), reflections.createIndexes(), checkins.createIndexes(),
        kept.createIndexes(), counselors.createIndexes(), prompts.createIndexes(), held.createIndexes(), notifications.createIndexes(),
        followups.createIndexes())).mapEmpty();
  }

  private List<FeatureRoutes> features() {
    List<FeatureRoutes> features = new ArrayList<>();
    features.add(new FeatureRoutes("/api/auth", new AuthRoutes(vertx, auth, sessionAuth, sessions).router()));
    // Before /api/me: these are mounted on their own longer prefixes (/api/me/notifications, ...).
    features.addAll(new NotifyRoutes(vertx, notifications, couples, sessionAuth).features());
    features.add(new FeatureRoutes("/api/me", new AccountRoutes(vertx, auth, sessionAuth, accountData).router()));
    features.add(new FeatureRoutes("/api/couple", new CoupleRoutes(vertx, couples, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/shares", new ShareRoutes(vertx, shares, couples, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/reviews", new ReviewRoutes(vertx, reviews, sessionAuth).router()));
    // Before "/api/counselor": that prefix also matches "/api/counselor-grants".
    features.add(new FeatureRoutes("/api/counselor-grants", new GrantRoutes(vertx, counselors, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/counselor", new CounselorRoutes(vertx, counselors).router()));
    features.add(new FeatureRoutes("/api/exercises", new ExerciseRoutes(vertx, catalog, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/reflections", new ReflectionRoutes(vertx, reflections, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/parts", new PartsRoutes(vertx, parts, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/checkins", new CheckinRoutes(vertx, checkins, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/kept", new KeptRoutes(vertx, kept, sessionAuth).router()));
    features.add(new FeatureRoutes("/api/followups", new FollowupRoutes(vertx, followups, sessionAuth).router()));
    PromptRoutes promptRoutes = new PromptRoutes(vertx, prompts, couples, sessionAuth);
    features.add(new FeatureRoutes("/api/prompt-catalog", promptRoutes.catalogRouter()));
    features.add(new FeatureRoutes("/api/prompts", promptRoutes.router()));
    features.add(new FeatureRoutes("/api/held", new HeldRoutes(vertx, held, sessionAuth, clock).router()));
    features.add(new FeatureRoutes("/api/help", new HelpRoutes(vertx, help).router()));
    return features;
  }

  private Future<Void> deployHttp() {
    int instances = config.httpInstances() > 0 ? config.httpInstances() : Math.max(1, Runtime.getRuntime().availableProcessors());
    // Port 0 with several instances would give each its own random port; -1 asks Vert.x for one shared random port.
    int port = config.httpPort() == 0 && instances > 1 ? -1 : config.httpPort();
    OriginGuard originGuard = new OriginGuard(config.allowedOrigins());
    ClientRequestInfo clientInfo = new ClientRequestInfo(TrustedProxies.parse(config.trustedProxies()));
    PemKeyCertOptions tls = config.tls()
        ? new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath())
        : null;
    HealthRoutes health = new HealthRoutes(this.health);
    List<HttpVerticle> deployed = new ArrayList<>();
    return vertx.deployVerticle(() -> {
          HttpVerticle verticle = new HttpVerticle(config.httpHost(), port, tls, clientInfo, originGuard, health, realtime,
              this::features, "webroot", config.requestTimeout());
          synchronized (deployed) {
            deployed.add(verticle);
          }
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deployments.add(id);
          this.port = deployed.get(0).actualPort();
          LOG.debug("HTTP on {}://{}:{} ({} event-loop instance(s))", config.tls() ? "https" : "http",
              config.httpHost(), this.port, instances);
          return null;
        });
  }

  /**
   * The management port, when {@code management.port} is not -1. A file-backed embedded database
   * gets a fresh backup token in {@code data.dir/management.token}, and the port actually bound is
   * written to {@code data.dir/management.port} (so {@code backup} finds a random one).
   */
  private Future<Void> deployManagement() {
    if (!config.managementEnabled()) return Future.succeededFuture();
    boolean fileBacked = database.isEmbedded() && !Database.IN_MEMORY.equals(config.dataDir().toString());
    return vertx.executeBlocking(() -> fileBacked ? ManagementServer.writeToken(config.dataDir()) : null)
        .compose(token -> {
          ManagementServer server = new ManagementServer(config.managementHost(), config.managementPort(), telemetry,
              new HealthRoutes(health), database, config.dataDir(), token);
          return vertx.deployVerticle(server).map(id -> {
            deployments.add(id);
            managementPort = server.actualPort();
            return fileBacked;
          });
        })
        .compose(write -> !write ? Future.<Void>succeededFuture() : vertx.executeBlocking(() -> {
          java.nio.file.Files.writeString(config.dataDir().resolve(ManagementServer.PORT_FILE), managementPort + "\n");
          return null;
        }));
  }

  /** "METHOD /path" of every route the public port serves: the feature routes plus the server's own. */
  public List<String> allRoutes() {
    List<String> all = new ArrayList<>(HttpVerticle.OWN_ROUTES);
    all.addAll(routes());
    return all;
  }

  /**
   * Every API route as "METHOD /path" (e.g. "GET /api/shares/:id"), for the authorization matrix
   * test that fails when a route is added without being covered.
   */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (FeatureRoutes feature : features()) {
      for (io.vertx.ext.web.Route route : feature.router().getRoutes()) {
        // Guards mounted for every method (session checks) are not endpoints of their own.
        if (route.getPath() == null || route.methods() == null) continue;
        String path = feature.prefix() + (route.getPath().equals("/") ? "" : route.getPath());
        for (io.vertx.core.http.HttpMethod m : route.methods()) out.add(m.name() + " " + path);
      }
    }
    return out;
  }

  public int port() {
    return port;
  }

  /** The management port actually bound, or -1 when it is off. */
  public int managementPort() {
    return managementPort;
  }

  public Health health() {
    return health;
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  /** Readiness answers DOWN from now on; requests are still served until {@link #close()}. */
  public void drain() {
    health.drain();
  }

  public Database database() {
    return database;
  }

  public EventLog events() {
    return events;
  }

  public Vault vault() {
    return vault;
  }

  /** This node's caches (tests look into them). */
  public dev.bridgework.cache.NodeCaches caches() {
    return caches;
  }

  public ExerciseCatalog catalog() {
    return catalog;
  }

  public Vertx vertx() {
    return vertx;
  }

  public NotificationService notifications() {
    return notifications;
  }

  public RealtimeGateway realtime() {
    return realtime;
  }

  public Future<Void> close() {
    housekeeping.stop();
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    health.drain();
    if (counselorSweep != -1) vertx.cancelTimer(counselorSweep);
    return notifications.close().transform(n -> realtime.close()).transform(ignored -> undeployAll());
  }

  private Future<Void> undeployAll() {
    // Deployed from inside a verticle (as tests do), the HTTP verticles are its children: Vert.x may
    // have undeployed them already by the time this runs.
    List<Future<Void>> undeploys = deployments.stream().filter(vertx.deploymentIDs()::contains).map(vertx::undeploy).toList();
    return Future.join(undeploys).eventually(caches::close).eventually(database::close).mapEmpty();
  }
}
