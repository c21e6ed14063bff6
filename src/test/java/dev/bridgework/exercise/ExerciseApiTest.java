package dev.bridgework.exercise;

import dev.bridgework.testing.Api;
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

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class ExerciseApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void signedInPeopleSeeTheWholeCatalog() {
    Api alice = server.register("Alice");
    var r = alice.get("/api/exercises");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray exercises = r.bodyAsJsonObject().getJsonArray("exercises");
    assertEquals(ExerciseCatalog.loadFromClasspath().all().size(), exercises.size());
    Set<String> practices = new HashSet<>();
    for (Object o : exercises) {
      JsonObject e = (JsonObject) o;
      practices.add(e.getString("practice"));
      for (String field : new String[] {"id", "title", "summary"}) assertNotNull(e.getString(field), field);
      assertTrue(e.getInteger("minutes") > 0);
      JsonArray steps = e.getJsonArray("steps");
      assertTrue(steps.size() >= 4 && steps.size() <= 8);
      for (Object s : steps) {
        JsonObject step = (JsonObject) s;
        assertNotNull(step.getString("id"));
        assertNotNull(step.getString("prompt"));
        assertNotNull(step.getString("hint"));
        assertTrue(Set.of("text", "scale", "emotions", "part").contains(step.getString("kind")));
        if (step.getString("kind").equals("scale")) {
          assertTrue(step.getInteger("min") < step.getInteger("max"));
        }
        if (step.getString("kind").equals("emotions")) assertTrue(step.getJsonArray("options").size() > 0);
      }
    }
    assertEquals(Set.of("mirror", "parts", "data", "trust", "free", "checkin"), practices);
  }

  @Test
  void oneExerciseByIdMatchesTheList() {
    Api alice = server.register("Alice");
    JsonObject first = alice.get("/api/exercises").bodyAsJsonObject().getJsonArray("exercises").getJsonObject(0);
    var r = alice.get("/api/exercises/" + first.getString("id"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(first, r.bodyAsJsonObject());

    var scale = alice.get("/api/exercises/mirror-recent-moment").bodyAsJsonObject().getJsonArray("steps").getJsonObject(2);
    assertEquals("scale", scale.getString("kind"));
    assertEquals(0, scale.getInteger("min"));
    assertEquals(10, scale.getInteger("max"));
  }

  @Test
  void anUnknownExerciseIsNotFound() {
    Api alice = server.register("Alice");
    assertError(alice.get("/api/exercises/no-such-exercise"), 404, "not_found", null);
    assertError(alice.get("/api/exercises/..%2F..%2Fetc"), 404, "not_found", null);
  }

  @Test
  void theCatalogNeedsASession() {
    Api nobody = server.client();
    assertError(nobody.get("/api/exercises"), 401, "unauthenticated", null);
    assertError(nobody.get("/api/exercises/free-blank-page"), 401, "unauthenticated", null);
  }
}
