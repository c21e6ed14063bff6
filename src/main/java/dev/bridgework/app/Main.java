package dev.bridgework.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import dev.bridgework.ops.BackupCommand;
import dev.bridgework.ops.ClusterLog;
import dev.bridgework.ops.Telemetry;

/**
 * {@code java -jar target/bridgework.jar [-cluster]}: loads the configuration, starts Vert.x
 * (clustered with Hazelcast when asked), then the application; a clean shutdown closes the store.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    List<String> arguments = Arrays.asList(args);
    boolean clusterFlag = arguments.contains("-cluster");
    AppConfig config = loadConfig();
    if (!arguments.isEmpty() && (arguments.get(0).equals("backup") || arguments.get(0).equals("restore"))) {
      System.exit(BackupCommand.run(config, arguments, System.out, System.err));
    }
    boolean clustered = clusterFlag || config.clusterEnabled();
    Telemetry telemetry = config.managementEnabled() ? Telemetry.prometheus() : Telemetry.off();
    Future<Vertx> vertxFuture = clustered ? clusteredVertx(config, telemetry) : Future.succeededFuture(telemetry.vertx(options()));
    vertxFuture.compose(vertx -> Application.start(vertx, config, Clock.systemUTC(), telemetry).onSuccess(app -> {
      LOG.info("{}", startedLine(config, app, clustered, (System.nanoTime() - started) / 1_000_000));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(config, vertx, app), "bridgework-shutdown"));
    })).onFailure(e -> {
      LOG.error("Bridgework could not start: {}", e.getMessage(), e);
      System.exit(1);
    });
  }

  private static AppConfig loadConfig() {
    Vertx bootstrap = Vertx.vertx();
    try {
      return AppConfig.load(bootstrap, Path.of("config", "bridgework.yaml")).await();
    } finally {
      bootstrap.close();
    }
  }

  /** The one start-up line: where it listens, where the data lives, where the management port is. */
  static String startedLine(AppConfig config, Application app, boolean clustered, long millis) {
    String scheme = config.tls() ? "https" : "http";
    String data = config.embeddedDatabase()
        ? "data in " + config.dataDir().toAbsolutePath() + " (embedded database" + (config.masterKey().isEmpty() ? " and master key)" : ")")
        : "data in MongoDB database '" + config.mongoDb() + "'";
    String management = app.managementPort() < 0 ? "no management port"
        : "metrics, health and backups on http://" + config.managementHost() + ":" + app.managementPort();
    return "Bridgework listening on " + scheme + "://" + config.httpHost() + ":" + app.port() + ", " + data + ", "
        + management + (clustered ? ", clustered" : "") + "; started in " + millis + " ms";
  }

  /**
   * SIGTERM or Ctrl+C: readiness goes DOWN, requests are still served for {@code shutdown.drain}
   * (so a load balancer stops sending new ones), then sockets close, the store commits and closes.
   */
  private static void stop(AppConfig config, Vertx vertx, Application app) {
    long started = System.nanoTime();
    LOG.info("Shutting down (signal received): readiness is DOWN{}",
        config.shutdownDrain().isZero() ? "" : ", draining for " + config.shutdownDrain().toMillis() + " ms");
    app.drain();
    try {
      Thread.sleep(config.shutdownDrain().toMillis());
      app.close().eventually(vertx::close).await();
      LOG.info("Stopped cleanly in {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("Shutdown was not clean: {}", e.toString());
    }
  }

  private static VertxOptions options() {
    return new VertxOptions();
  }

  /** Hazelcast with TCP-IP join on the configured members; multicast off (ARCHITECTURE.md). */
  public static Future<Vertx> clusteredVertx(AppConfig config) {
    return clusteredVertx(config, Telemetry.off());
  }

  /** As {@link #clusteredVertx(AppConfig)}, reporting Vert.x metrics into {@code telemetry}. */
  public static Future<Vertx> clusteredVertx(AppConfig config, Telemetry telemetry) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("bridgework");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(config.clusterPort()).setPortAutoIncrement(true);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(config.clusterHost());
    hz.getNetworkConfig().setPublicAddress(config.clusterHost() + ":" + config.clusterPort());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    EventBusOptions bus = new EventBusOptions().setHost(config.clusterHost());
    if (config.clusterTls()) {
      // Shared text and presence cross the wire between nodes: TLS both ways, each node proving
      // itself with a certificate signed by the cluster's own CA (README "Running clustered").
      bus.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.clusterTlsCertPath()).setKeyPath(config.clusterTlsKeyPath()))
          .setTrustOptions(new PemTrustOptions().addCertPath(config.clusterTlsTrustPath()))
          .setClientAuth(ClientAuth.REQUIRED);
    } else {
      LOG.warn("cluster.tls.* is not set: event-bus traffic between nodes is not encrypted; use it on any network you do not fully control");
    }
    VertxOptions options = options().setEventBusOptions(bus);
    HazelcastClusterManager manager = new HazelcastClusterManager(hz);
    return telemetry.builder(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> ClusterLog.follow(manager.getHazelcastInstance()));
  }
}
