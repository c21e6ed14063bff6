package dev.bridgework.app;

import dev.bridgework.notify.NotifyConfig;
import dev.bridgework.web.TrustedProxies;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: defaults, then {@code config/bridgework.yaml}, then environment
 * variables named {@code BRIDGEWORK_} + the key upper-cased with dots as underscores.
 */
public record AppConfig(
    int httpPort,
    String httpHost,
    List<String> allowedOrigins,
    int httpInstances,
    String tlsCertPath,
    String tlsKeyPath,
    List<String> trustedProxies,
    String mongoUri,
    String mongoDb,
    Path dataDir,
    Duration inviteTtl,
    Duration sessionIdleTimeout,
    Duration sessionAbsoluteTimeout,
    boolean clusterEnabled,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    String masterKey,
    int minKdfIterations,
    Duration mongoTimeout,
    Duration requestTimeout,
    String clusterTlsCertPath,
    String clusterTlsKeyPath,
    String clusterTlsTrustPath,
    int pdfWorkers,
    int pdfQueue,
    Duration sweepInterval,
    NotifyConfig notifications,

    int managementPort,
    String managementHost,
    Duration shutdownDrain,
    int embeddedDbPort,
    Path helpFile) {

  public AppConfig {
    // Half a TLS setup would silently serve plain HTTP; refuse to start instead.
    if (tlsCertPath.isEmpty() != tlsKeyPath.isEmpty()) {
      throw new IllegalArgumentException("http.tls.certPath and http.tls.keyPath must be set together (a PEM "
          + "certificate chain and its PEM private key), but only " + (tlsCertPath.isEmpty() ? "http.tls.keyPath" : "http.tls.certPath")
          + " is set");
    }
    if (clusterTlsCertPath.isEmpty() != clusterTlsKeyPath.isEmpty() || (!clusterTlsCertPath.isEmpty() && clusterTlsTrustPath.isEmpty())) {
      throw new IllegalArgumentException("cluster.tls.certPath, cluster.tls.keyPath and cluster.tls.trustPath must be set "
          + "together (this node's PEM certificate, its PEM key, and the PEM CA that signed every node's certificate)");
    }
    if (pdfWorkers < 1 || pdfQueue < 0) throw new IllegalArgumentException("pdf.workers must be at least 1 and pdf.queue at least 0");
    // A malformed entry is a start-up error naming it, not a proxy silently left untrusted.
    TrustedProxies.parse(trustedProxies);
  }

  /** Every key with its default; the README lists the same table. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("http.port", "8080");
    d.put("http.host", "0.0.0.0");
    d.put("http.allowedOrigins", "");
    d.put("http.instances", "0");
    d.put("http.tls.certPath", "");
    d.put("http.tls.keyPath", "");
    d.put("http.trustedProxies", "");
    d.put("mongo.uri", "");
    d.put("mongo.db", "bridgework");
    d.put("data.dir", "data");
    d.put("invite.ttl", "72h");
    d.put("session.idleTimeout", "12h");
    d.put("session.absoluteTimeout", "14d");
    d.put("cluster.enabled", "false");
    d.put("cluster.host", "127.0.0.1");
    d.put("cluster.port", "5701");
    d.put("cluster.members", "127.0.0.1:5701,127.0.0.1:5702");
    d.put("crypto.masterKey", "");
    d.put("crypto.minKdfIterations", "600000");
    d.put("mongo.timeout", "5s");
    d.put("http.requestTimeout", "30s");
    d.put("cluster.tls.certPath", "");
    d.put("cluster.tls.keyPath", "");
    d.put("cluster.tls.trustPath", "");
    d.put("pdf.workers", "1");
    d.put("pdf.queue", "8");
    d.put("housekeeping.interval", "10m");
    d.putAll(NotifyConfig.defaults());
    d.put("management.port", "9090");
    d.put("management.host", "127.0.0.1");
    d.put("shutdown.drain", "0s");
    d.put("mongo.embeddedPort", "0");
    d.put("help.file", "config/help.yaml");
    return Map.copyOf(d);
  }

  public static String envName(String key) {
    return "BRIDGEWORK_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Loads {@code config/bridgework.yaml} (when present) and the environment. */
  public static Future<AppConfig> load(Vertx vertx, Path file) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1);
    if (Files.exists(file)) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", file.toString())));
    }
    options.addStore(new ConfigStoreOptions().setType("env"));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().map(AppConfig::fromMerged).eventually(() -> {
      retriever.close();
      return Future.succeededFuture();
    });
  }

  /** Resolves every known key: environment variable, then the nested file value, then the default. */
  public static AppConfig fromMerged(JsonObject merged) {
    Map<String, String> values = new LinkedHashMap<>();
    DEFAULTS.forEach((key, def) -> {
      Object env = merged.getValue(envName(key));
      Object file = lookup(merged, key);
      Object v = env != null ? env : file != null ? file : def;
      values.put(key, String.valueOf(v));
    });
    return fromMap(values);
  }

  public static AppConfig fromMap(Map<String, String> overrides) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    v.putAll(overrides);
    return new AppConfig(
        Integer.parseInt(v.get("http.port").trim()),
        v.get("http.host").trim(),
        list(v.get("http.allowedOrigins")),
        Integer.parseInt(v.get("http.instances").trim()),
        v.get("http.tls.certPath").trim(),
        v.get("http.tls.keyPath").trim(),
        list(v.get("http.trustedProxies")),
        v.get("mongo.uri").trim(),
        v.get("mongo.db").trim(),
        Path.of(v.get("data.dir").trim()),
        duration(v.get("invite.ttl")),
        duration(v.get("session.idleTimeout")),
        duration(v.get("session.absoluteTimeout")),
        Boolean.parseBoolean(v.get("cluster.enabled").trim()),
        v.get("cluster.host").trim(),
        Integer.parseInt(v.get("cluster.port").trim()),
        list(v.get("cluster.members")),
        v.get("crypto.masterKey").trim(),
        Integer.parseInt(v.get("crypto.minKdfIterations").trim()),
        duration(v.get("mongo.timeout")),
        duration(v.get("http.requestTimeout")),
        v.get("cluster.tls.certPath").trim(),
        v.get("cluster.tls.keyPath").trim(),
        v.get("cluster.tls.trustPath").trim(),
        Integer.parseInt(v.get("pdf.workers").trim()),
        Integer.parseInt(v.get("pdf.queue").trim()),
        duration(v.get("housekeeping.interval")),
        NotifyConfig.fromMap(v),

        Integer.parseInt(v.get("management.port").trim()),
        v.get("management.host").trim(),
        duration(v.get("shutdown.drain")),
        Integer.parseInt(v.get("mongo.embeddedPort").trim()),
        Path.of(v.get("help.file").trim()));
  }

  private static Object lookup(JsonObject json, String dotted) {
    Object cur = json;
    for (String part : dotted.split("\\.")) {
      if (!(cur instanceof JsonObject obj)) return null;
      cur = obj.getValue(part);
    }
    return cur instanceof JsonObject ? null : cur;
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** "90s", "15m", "72h", "14d", or ISO-8601 ("PT72H"). */
  public static Duration duration(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("Not a duration: " + text);
    };
  }

  /** True when event-bus traffic between cluster nodes goes over TLS (all three PEM files configured). */
  public boolean clusterTls() {
    return !clusterTlsCertPath.isEmpty();
  }

  public boolean embeddedDatabase() {
    return mongoUri.isEmpty();
  }

  /** True when the server serves HTTPS itself (both PEM files configured). */
  public boolean tls() {
    return !tlsCertPath.isEmpty();
  }

  public AppConfig withHttpPort(int port) {
    return new AppConfig(port, httpHost, allowedOrigins, httpInstances, tlsCertPath, tlsKeyPath, trustedProxies,
        mongoUri, mongoDb, dataDir, inviteTtl, sessionIdleTimeout, sessionAbsoluteTimeout, clusterEnabled, clusterHost,
        clusterPort, clusterMembers, masterKey, minKdfIterations, mongoTimeout, requestTimeout, clusterTlsCertPath,
        clusterTlsKeyPath, clusterTlsTrustPath, pdfWorkers, pdfQueue, sweepInterval, notifications, managementPort,
        managementHost, shutdownDrain, embeddedDbPort, helpFile);
  }

  public AppConfig withManagementPort(int port) {
    return new AppConfig(httpPort, httpHost, allowedOrigins, httpInstances, tlsCertPath, tlsKeyPath, trustedProxies,
        mongoUri, mongoDb, dataDir, inviteTtl, sessionIdleTimeout, sessionAbsoluteTimeout, clusterEnabled, clusterHost,
        clusterPort, clusterMembers, masterKey, minKdfIterations, mongoTimeout, requestTimeout, clusterTlsCertPath,
        clusterTlsKeyPath, clusterTlsTrustPath, pdfWorkers, pdfQueue, sweepInterval, notifications, port,
        managementHost, shutdownDrain, embeddedDbPort, helpFile);
  }

  /** False when {@code management.port} is -1: no management port, no metrics. */
  public boolean managementEnabled() {
    return managementPort >= 0;
  }
}
