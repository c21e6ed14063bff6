package dev.bridgework.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppConfigTest {

  @Test
  void everyKeyHasADefault() {
    AppConfig c = AppConfig.fromMerged(new JsonObject());
    assertEquals(8080, c.httpPort());
    assertEquals("", c.mongoUri());
    assertTrue(c.embeddedDatabase());
    assertEquals(Path.of("data"), c.dataDir());
    assertEquals(Duration.ofHours(72), c.inviteTtl());
    assertEquals(List.of(), c.allowedOrigins());
    assertFalse(c.clusterEnabled());
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults() {
    JsonObject merged = new JsonObject()
        .put("http", new JsonObject().put("port", 9000).put("host", "127.0.0.1"))
        .put("mongo", new JsonObject().put("db", "from-file"))
        .put("BRIDGEWORK_HTTP_PORT", 9100)
        .put("BRIDGEWORK_MONGO_URI", "mongodb://db.example:27017")
        .put("BRIDGEWORK_DATA_DIR", "/var/lib/bridgework")
        .put("BRIDGEWORK_HTTP_ALLOWEDORIGINS", "https://app.example, https://other.example")
        .put("BRIDGEWORK_INVITE_TTL", "90m")
        .put("BRIDGEWORK_SESSION_IDLETIMEOUT", "PT30M")
        .put("BRIDGEWORK_CLUSTER_ENABLED", "true");
    AppConfig c = AppConfig.fromMerged(merged);
    assertEquals(9100, c.httpPort());
    assertEquals("127.0.0.1", c.httpHost());
    assertEquals("from-file", c.mongoDb());
    assertEquals("mongodb://db.example:27017", c.mongoUri());
    assertFalse(c.embeddedDatabase());
    assertEquals(Path.of("/var/lib/bridgework"), c.dataDir());
    assertEquals(List.of("https://app.example", "https://other.example"), c.allowedOrigins());
    assertEquals(Duration.ofMinutes(90), c.inviteTtl());
    assertEquals(Duration.ofMinutes(30), c.sessionIdleTimeout());
    assertTrue(c.clusterEnabled());
  }

  @Test
  void envNamesFollowTheRule() {
    assertEquals("BRIDGEWORK_HTTP_PORT", AppConfig.envName("http.port"));
    assertEquals("BRIDGEWORK_HTTP_ALLOWEDORIGINS", AppConfig.envName("http.allowedOrigins"));
    assertEquals("BRIDGEWORK_SESSION_ABSOLUTETIMEOUT", AppConfig.envName("session.absoluteTimeout"));
  }
}
