package dev.bridgework.ops;

import dev.bridgework.app.AppConfig;
import dev.bridgework.testing.Api;
import dev.bridgework.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code backup --to FILE} against a real server under write load over HTTP, then {@code restore --from FILE}
 * into an empty data directory: every write acknowledged before the backup started is in the restored store.
 */
@Timeout(240)
@ExtendWith(VertxExtension.class)
class BackupTest {
  // Servers here live on the test's Vert.x (the extension closes it after the test), and each is
  // closed earlier by hand where the test needs it gone: a restart on restored data, an offline backup.
  @TempDir
  Path tmp;

  private static final class Output {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  private static AppConfig config(Path dataDir) {
    return AppConfig.fromMap(Map.of("data.dir", dataDir.toString()));
  }

  @Test
  void anOnlineBackupUnderWritesRestoresEveryWriteAcknowledgedBeforeIt(Vertx vertx) throws Exception {
    Path live = tmp.resolve("live");
    Path restored = tmp.resolve("restored");
    Path backup = tmp.resolve("bridgework-backup.zip");
    List<Api> writers = new ArrayList<>();
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    Set<String> beforeBackup;
    Output output = new Output();
    int exit;
    try (TestServer server = TestServer.startOn(vertx, Map.of("data.dir", live.toString(), "management.port", "0"))) {
      assertTrue(Files.exists(live.resolve(ManagementServer.TOKEN_FILE)));
      for (int i = 0; i < 3; i++) writers.add(server.register("Writer" + i));
      AtomicBoolean writing = new AtomicBoolean(true);
      java.util.concurrent.Semaphore acks = new java.util.concurrent.Semaphore(0);
      List<Thread> threads = new ArrayList<>();
      for (Api writer : writers) {
        Thread t = new Thread(() -> {
          while (writing.get()) {
            String id = UUID.randomUUID().toString();
            var r = writer.savePart(id, new JsonObject().put("name", "part " + id), null);
            if (r.statusCode() == 201) {
              acknowledged.add(writer.id() + "/" + id);
              acks.release();
            }
          }
        });
        t.start();
        threads.add(t);
      }
      acks.acquire(30);
      beforeBackup = new HashSet<>(acknowledged);
      exit = BackupCommand.run(config(live), List.of("backup", "--to", backup.toString()), output.outStream, output.errStream);
      // Keep writing a little after the backup, so writes were running on both sides of it.
      acks.drainPermits();
      acks.acquire(10);
      writing.set(false);
      for (Thread t : threads) t.join();
    }
    assertEquals(0, exit, output.err());
    assertTrue(output.out().contains("online, from the server"), output.out());
    assertTrue(output.out().contains("master key is NOT in the backup") && output.out().contains(live.resolve("master.key").toAbsolutePath().toString()),
        output.out());
    assertTrue(Files.size(backup) > 0);
    assertFalse(Files.exists(tmp.resolve("bridgework-backup.zip.partial")));
    try (var leftovers = Files.list(live)) {
      assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith("backup-")), "temporary backup files left behind");
    }

    Output restoring = new Output();
    assertEquals(0, BackupCommand.run(config(restored), List.of("restore", "--from", backup.toString()),
        restoring.outStream, restoring.errStream), restoring.err());
    assertTrue(restoring.out().contains("master key is NOT in the backup"), restoring.out());
    // The operator puts the master key back, as the restore told them to.
    Files.copy(live.resolve("master.key"), restored.resolve("master.key"));

    try (TestServer again = TestServer.startOn(vertx, Map.of("data.dir", restored.toString()))) {
      Set<String> missing = new HashSet<>(beforeBackup);
      for (Api writer : writers) {
        Api device = TestServer.clientFor(again.vertx, again.port());
        var login = device.post("/api/auth/login", writer.loginBody());
        assertEquals(200, login.statusCode(), login.bodyAsString());
        var parts = device.get("/api/parts");
        assertEquals(200, parts.statusCode());
        parts.bodyAsJsonObject().getJsonArray("parts").forEach(p -> missing.remove(writer.id() + "/" + ((JsonObject) p).getString("id")));
      }
      assertEquals(Set.of(), missing, "acknowledged before the backup started, but not in it");
    }
  }

  @Test
  void restoreRefusesADataDirectoryThatIsNotEmpty(Vertx vertx) throws Exception {
    Path live = tmp.resolve("live");
    Path backup = tmp.resolve("b.zip");
    try (TestServer server = TestServer.startOn(vertx, Map.of("data.dir", live.toString(), "management.port", "0"))) {
      server.register("Someone");
      Output output = new Output();
      assertEquals(0, BackupCommand.run(config(live), List.of("backup", "--to", backup.toString()), output.outStream, output.errStream),
          output.err());
    }
    Path occupied = tmp.resolve("occupied");
    Files.createDirectories(occupied);
    Files.writeString(occupied.resolve("notes.txt"), "keep me");
    Output output = new Output();
    assertEquals(1, BackupCommand.run(config(occupied), List.of("restore", "--from", backup.toString()), output.outStream, output.errStream));
    assertTrue(output.err().contains("not empty"), output.err());
    try (var files = Files.list(occupied)) {
      assertEquals(List.of(occupied.resolve("notes.txt")), files.toList());
    }
  }

  @Test
  void withNoServerRunningTheBackupReadsTheStoreItself(Vertx vertx) throws Exception {
    Path live = tmp.resolve("live");
    try (TestServer server = TestServer.startOn(vertx, Map.of("data.dir", live.toString(), "management.port", "0"))) {
      server.register("Someone");
    }
    Output output = new Output();
    Path backup = tmp.resolve("offline.zip");
    assertEquals(0, BackupCommand.run(config(live), List.of("backup", "--to", backup.toString()), output.outStream, output.errStream),
        output.err());
    assertTrue(output.out().contains("offline"), output.out());
    Output restoring = new Output();
    assertEquals(0, BackupCommand.run(config(tmp.resolve("new")), List.of("restore", "--from", backup.toString()),
        restoring.outStream, restoring.errStream), restoring.err());
    assertTrue(Files.exists(tmp.resolve("new").resolve("bridgework.mv.db")));
  }
}
