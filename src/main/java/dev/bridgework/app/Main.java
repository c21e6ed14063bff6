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

/**
 * {@code java -jar target/bridgework.jar [-cluster]}: loads the configuration, starts Vert.x
 * (clustered with Hazelcast when asked), then the application; a clean shutdown closes the store.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    boolean clusterFlag = Arrays.asList(args).contains("-cluster");
    Vertx bootstrap = Vertx.vertx();
    AppConfig config;
    try {
      config = AppConfig.load(bootstrap, Path.of("config", "bridgework.yaml")).await();
    } finally {
      bootstrap.close();
    }
    boolean clustered = clusterFlag || config.clusterEnabled();
    Future<Vertx> vertxFuture = clustered ? clusteredVertx(config) : Future.succeededFuture(Vertx.vertx(options()));
    vertxFuture.compose(vertx -> Application.start(vertx, config, Clock.systemUTC()).onSuccess(app -> {
      LOG.info("Started in {} ms", (System.nanoTime() - started) / 1_000_000);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          app.close().eventually(vertx::close).await();
        } catch (Exception e) {
          LOG.warn("Shutdown was not clean: {}", e.toString());
        }
      }, "bridgework-shutdown"));
    })).onFailure(e -> {
      LOG.error("Bridgework could not start: {}", e.getMessage(), e);
      System.exit(1);
    });
  }

  private static VertxOptions options() {
    return new VertxOptions();
  }

  /** Hazelcast with TCP-IP join on the configured members; multicast off (ARCHITECTURE.md). */
  public static Future<Vertx> clusteredVertx(AppConfig config) {
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
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
  }
}
