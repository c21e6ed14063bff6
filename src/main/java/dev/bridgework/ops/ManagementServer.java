package dev.bridgework.ops;

import dev.bridgework.storage.Database;
import dev.bridgework.web.HealthRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * The management port ({@code management.host}:{@code management.port}, loopback by default), apart
 * from the public one so a proxy never exposes it:
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format;</li>
 *   <li>{@code GET /health}, {@code /health/live}, {@code /health/ready}: as on the public port;</li>
 *   <li>{@code POST /backup}: an online backup of the embedded database, streamed back as a zip.
 *   It needs {@code Authorization: Bearer <token>}, the token the server writes to
 *   {@code data.dir/management.token} (owner-only) at start: whoever may read the data directory
 *   may take a backup, nobody else on the machine.</li>
 * </ul>
 */
public final class ManagementServer extends VerticleBase {
  private final String host;
  private final int port;
  private final Telemetry telemetry;
  private final HealthRoutes health;
  private final Database database;
  private final Path dataDir;
  private final String token;
  private HttpServer server;

  /** {@code token}: null when backups are not offered here (in-memory or external database). */
  public ManagementServer(String host, int port, Telemetry telemetry, HealthRoutes health, Database database,
                          Path dataDir, String token) {
    this.host = host;
    this.port = port;
    this.telemetry = telemetry;
    this.health = health;
    this.database = database;
    this.dataDir = dataDir;
    this.token = token;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    if (telemetry.enabled()) router.get("/metrics").handler(PrometheusScrapingHandler.create(telemetry.prometheusRegistry()));
    router.get("/health").handler(health::health);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.post("/backup").handler(this::backup);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router);
    return server.listen();
  }

  private void backup(RoutingContext ctx) {
    if (token == null) {
      error(ctx, 409, "not_embedded", "Online backups here are for the embedded database with a data directory; "
          + "for MongoDB use mongodump.");
      return;
    }
    String given = ctx.request().getHeader("Authorization");
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      error(ctx, 401, "unauthenticated", "Send the token of data.dir/management.token as a Bearer token.");
      return;
    }
    // Written next to the store first (a quick local copy while commits wait), then streamed.
    Path file = dataDir.resolve("backup-" + UUID.randomUUID() + ".zip.partial");
    database.backupTo(file)
        .compose(v -> ctx.response().putHeader("Content-Type", "application/zip")
            .putHeader("Cache-Control", "no-store").sendFile(file.toString()))
        .onComplete(ar -> {
          vertx.fileSystem().delete(file.toString()).onFailure(ignored -> { });
          if (ar.failed() && !ctx.response().headWritten()) error(ctx, 500, "internal", "The backup failed: " + ar.cause().getMessage());
        });
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** A fresh token, written owner-only to {@code data.dir/management.token}. */
  public static String writeToken(Path dataDir) throws java.io.IOException {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    String token = java.util.HexFormat.of().formatHex(bytes);
    Path file = dataDir.resolve(TOKEN_FILE);
    Files.deleteIfExists(file);
    Files.createFile(file, ownerOnly());
    Files.writeString(file, token + "\n");
    return token;
  }

  public static final String TOKEN_FILE = "management.token";
  public static final String PORT_FILE = "management.port";

  private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
    if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new java.nio.file.attribute.FileAttribute<?>[0];
    }
    return new java.nio.file.attribute.FileAttribute<?>[] {
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))};
  }
}
