package dev.bridgework.help;

import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/help} and the checks on {@code config/help.yaml} (docs/SAFETY.md). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class HelpApiTest {
  static TestServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void helpIsServedWithoutASessionAndAlwaysSaysCallYourLocalEmergencyNumber() {
    var r = server.client().get("/api/help");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject help = r.bodyAsJsonObject();
    assertTrue(help.getString("emergency").contains("local emergency number"));
    JsonArray regions = help.getJsonArray("regions");
    assertTrue(regions.size() >= 4, "the shipped config/help.yaml lists a few countries");
    JsonObject us = regions.getJsonObject(0);
    assertEquals("us", us.getString("id"));
    assertTrue(us.getJsonArray("resources").stream().map(o -> ((JsonObject) o).getString("kind"))
        .anyMatch("domestic-violence"::equals));
    // Signed in, the same answer.
    assertEquals(help, server.register("Helpseeker").get("/api/help").bodyAsJsonObject());
  }

  @Test
  void withoutTheFileThePageStillHasTheEmergencyLine() {
    HelpDirectory help = HelpDirectory.load(dir.resolve("missing.yaml"));
    assertEquals(HelpDirectory.EMERGENCY, help.toJson().getString("emergency"));
    assertEquals(0, help.toJson().getJsonArray("regions").size());
    assertNull(help.toJson().getString("note"));
  }

  @Test
  void theServerAnswersTheOperatorsFile(Vertx vertx) throws Exception {
    Path file = dir.resolve("help.yaml");
    Files.writeString(file, "note: Our practice answers 9-5.\nregions:\n  - id: nl\n    name: Nederland\n    resources:\n"
        + "      - name: 113 Zelfmoordpreventie\n        kind: crisis\n        phone: 113\n        url: https://www.113.nl\n");
    // A second server, with the operator's file, on the class's Vert.x; closed at the end of the test.
    try (TestServer operators = TestServer.startOn(vertx, Map.of("help.file", file.toString()))) {
      JsonObject help = operators.client().get("/api/help").bodyAsJsonObject();
      assertEquals("Our practice answers 9-5.", help.getString("note"));
      JsonObject resource = help.getJsonArray("regions").getJsonObject(0).getJsonArray("resources").getJsonObject(0);
      assertEquals("113", resource.getString("phone"), "a YAML number is still a phone number");
      assertEquals("https://www.113.nl", resource.getString("url"));
    }
  }

  @Test
  void aMistakeInTheFileNamesTheEntry() throws Exception {
    Map<String, String> broken = Map.of(
        "regions:\n  - id: us\n    name: US\n    resources:\n      - name: X\n        kind: crisis\n        url: http://insecure.example\n",
        "regions[0].resources[0].url",
        "regions:\n  - id: us\n    name: US\n    resources:\n      - name: X\n        kind: hotline\n        phone: '1'\n",
        "regions[0].resources[0].kind",
        "regions:\n  - id: us\n    name: US\n    resources:\n      - name: X\n        kind: crisis\n",
        "regions[0].resources[0]: needs a phone, sms or url",
        "regions:\n  - id: us\n    name: US\n    resources: []\n",
        "regions[0].resources",
        "regions:\n  - id: us\n    name: US\n    colour: red\n    resources:\n      - name: X\n        kind: crisis\n        phone: '988'\n",
        "unknown field 'colour'",
        "regions: [\n", "not valid YAML");
    for (var e : broken.entrySet()) {
      Path file = dir.resolve("broken.yaml");
      Files.writeString(file, e.getKey());
      var thrown = assertThrows(IllegalArgumentException.class, () -> HelpDirectory.load(file));
      assertTrue(thrown.getMessage().contains(e.getValue()), thrown.getMessage());
    }
  }

  @Test
  void theShippedFileIsValid() {
    assertTrue(HelpDirectory.load(Path.of("config", "help.yaml")).toJson().getJsonArray("regions").size() >= 4);
  }
}
