package dev.bridgework.ops;

import dev.bridgework.app.AppConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operations keys and the route-template label, without a server. */
class OpsConfigTest {
  @Test
  void theManagementPortIsOnLoopbackByDefaultAndCanBeTurnedOff() {
    AppConfig defaults = AppConfig.fromMerged(new JsonObject());
    assertEquals(9090, defaults.managementPort());
    assertEquals("127.0.0.1", defaults.managementHost());
    assertEquals(Duration.ZERO, defaults.shutdownDrain());
    assertEquals(0, defaults.embeddedDbPort());
    assertTrue(defaults.managementEnabled());
    AppConfig off = AppConfig.fromMerged(new JsonObject().put("BRIDGEWORK_MANAGEMENT_PORT", "-1")
        .put("BRIDGEWORK_SHUTDOWN_DRAIN", "10s").put("management", new JsonObject().put("host", "10.0.0.5")));
    assertFalse(off.managementEnabled());
    assertEquals("10.0.0.5", off.managementHost());
    assertEquals(Duration.ofSeconds(10), off.shutdownDrain());
  }

  @Test
  void routeLabelsBecomeTheirTemplate() {
    assertEquals("/api/shares/:id", Telemetry.routeTemplate("/api/>/api/>/api/>/api/shares>/:id>/:id"));
    assertEquals("/api/shares/:id/responses/:rid",
        Telemetry.routeTemplate("/api/>/api/>/api/>/api/shares>/:id/*>/:id/responses/:rid"));
    assertEquals("/api/couple", Telemetry.routeTemplate("/api/>/api/>/api/>/api/couple>/"));
    assertEquals("/api/ws", Telemetry.routeTemplate("/api/ws"));
    assertEquals("/health/ready", Telemetry.routeTemplate("/health/ready"));
    assertEquals("/api/*", Telemetry.routeTemplate("/api/>/api/>/api/>/api/"));
    assertEquals("none", Telemetry.routeTemplate(""));
  }
}
