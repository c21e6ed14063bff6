package dev.bridgework.ops;

import dev.bridgework.app.AppConfig;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code java -jar bridgework.jar backup --to FILE} and {@code restore --from FILE}, for the embedded
 * database.
 *
 * <p><b>Backup</b> asks the running server for it over the management port ({@code POST /backup},
 * with the token the server wrote to {@code data.dir/management.token}): the server commits, then
 * copies its store file with H2's own online backup while commits wait, so the copy holds every write
 * acknowledged before the backup started and the server keeps serving. With no server running, the
 * command opens the store file itself, read-only, and backs it up the same way.
 *
 * <p><b>Restore</b> unpacks a backup into an empty (or missing) data directory and checks that the
 * store opens; it refuses a directory that holds anything.
 *
 * <p>Neither the backup nor the restore contains the master key: it is printed where it is.
 */
public final class BackupCommand {
  static final String STORE_FILE = "bridgework.mv.db";

  private BackupCommand() {}

  /** Runs {@code args} ({@code backup --to FILE} or {@code restore --from FILE}); answers the exit code. */
  public static int run(AppConfig config, List<String> args, PrintStream out, PrintStream err) {
    String command = args.isEmpty() ? "" : args.get(0);
    try {
      if (!config.embeddedDatabase()) {
        err.println("mongo.uri is set: this server's data is in MongoDB. Back it up with mongodump (and restore with "
            + "mongorestore); the master key is the crypto.masterKey setting, keep it apart from the dump.");
        return 2;
      }
      if (command.equals("backup")) {
        Path to = option(args, "--to");
        if (to == null) return usage(err);
        return backup(config, to, out, err);
      }
      if (command.equals("restore")) {
        Path from = option(args, "--from");
        if (from == null) return usage(err);
        return restore(config, from, out, err);
      }
      return usage(err);
    } catch (IOException | RuntimeException e) {
      err.println(command + " failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(command + " interrupted");
      return 1;
    }
  }

  private static int usage(PrintStream err) {
    err.println("Usage: java -jar target/bridgework.jar backup --to FILE");
    err.println("       java -jar target/bridgework.jar restore --from FILE   (into an empty data.dir)");
    return 2;
  }

  private static Path option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Path.of(args.get(i + 1)) : null;
  }

  static int backup(AppConfig config, Path to, PrintStream out, PrintStream err) throws IOException, InterruptedException {
    Path dataDir = config.dataDir();
    to = to.toAbsolutePath();
    Files.createDirectories(to.getParent());
    Path partial = to.resolveSibling(to.getFileName() + ".partial");
    String how;
    try {
      how = fromServer(config, partial);
    } catch (ConnectException | NoServer e) {
      Path store = dataDir.resolve(STORE_FILE);
      if (!Files.exists(store)) {
        err.println("No server answers on the management port and there is no " + store.toAbsolutePath()
            + ": nothing to back up. (Is data.dir right? Is the server started with management.port -1?)");
        return 1;
      }
      how = offline(store, partial);
    }
    long bytes = Files.size(partial);
    checkBackup(partial);
    Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.println("Backup written to " + to.toAbsolutePath() + " (" + bytes + " bytes, " + how + ").");
    out.println(masterKeyNotice(config));
    return 0;
  }

  /** Thrown when there is no running server to ask (no token or port file). */
  private static final class NoServer extends IOException {
    NoServer() {
      super("no running server");
    }
  }

  private static String fromServer(AppConfig config, Path partial) throws IOException, InterruptedException {
    Path tokenFile = config.dataDir().resolve(ManagementServer.TOKEN_FILE);
    Path portFile = config.dataDir().resolve(ManagementServer.PORT_FILE);
    if (!Files.exists(tokenFile) || !Files.exists(portFile) || !config.managementEnabled()) throw new NoServer();
    String token = Files.readString(tokenFile).trim();
    int port = Integer.parseInt(Files.readString(portFile).trim());
    String host = config.managementHost().equals("0.0.0.0") ? "127.0.0.1" : config.managementHost();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostForUri(host) + ":" + port + "/backup"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(partial));
    if (response.statusCode() != 200) {
      String body = Files.readString(partial);
      Files.deleteIfExists(partial);
      throw new IOException("the server answered " + response.statusCode() + ": " + body);
    }
    return "online, from the server on port " + port;
  }

  private static String hostForUri(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** No server running: the store file opened read-only (refused while a server holds it). */
  private static String offline(Path store, Path partial) throws IOException {
    MVStore mv;
    try {
      mv = new MVStore.Builder().fileName(store.toString()).readOnly().open();
    } catch (RuntimeException e) {
      throw new IOException("the store " + store.toAbsolutePath() + " is in use, but no server answered on the "
          + "management port (is management.port -1?). " + e.getMessage());
    }
    try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
      mv.getFileStore().backup(zip);
      zip.finish();
    } finally {
      mv.close();
    }
    return "offline, no server was running";
  }

  /** The zip holds exactly one store file, and it opens. */
  private static void checkBackup(Path zip) throws IOException {
    Path tmp = Files.createTempFile("bridgework-check", ".mv.db");
    try {
      unpackStore(zip, tmp);
      openAndClose(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static int restore(AppConfig config, Path from, PrintStream out, PrintStream err) throws IOException {
    Path dataDir = config.dataDir();
    if (!Files.isRegularFile(from)) {
      err.println("No backup at " + from.toAbsolutePath());
      return 1;
    }
    if (Files.exists(dataDir)) {
      try (var entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          err.println("Refusing to restore into " + dataDir.toAbsolutePath() + ": it is not empty. Restore into an empty "
              + "or new data directory (BRIDGEWORK_DATA_DIR=/some/new/dir), or move this one away first.");
          return 1;
        }
      }
    }
    Files.createDirectories(dataDir);
    Path store = dataDir.resolve(STORE_FILE);
    Path partial = dataDir.resolve(STORE_FILE + ".partial");
    unpackStore(from, partial);
    openAndClose(partial);
    Files.move(partial, store, StandardCopyOption.ATOMIC_MOVE);
    out.println("Restored " + from.toAbsolutePath() + " into " + store.toAbsolutePath() + ".");
    out.println(masterKeyNotice(config) + " Put it back before starting the server: "
        + (config.masterKey().isEmpty()
            ? "copy your saved master.key to " + dataDir.resolve("master.key").toAbsolutePath()
              + " (chmod 600), or set BRIDGEWORK_CRYPTO_MASTERKEY. Started without it, the server makes a new key and "
              + "cannot read any shared text."
            : "crypto.masterKey is set, so the server will use that key."));
    return 0;
  }

  private static String masterKeyNotice(AppConfig config) {
    return config.masterKey().isEmpty()
        ? "The master key is NOT in the backup: it is in " + config.dataDir().resolve("master.key").toAbsolutePath()
          + ". Keep a copy of it apart from the backups; without it the shared text in a backup cannot be read."
        : "The master key is NOT in the backup: it is the crypto.masterKey setting (BRIDGEWORK_CRYPTO_MASTERKEY). "
          + "Keep it apart from the backups; without it the shared text in a backup cannot be read.";
  }

  /** Writes the one {@code *.mv.db} entry of the backup zip to {@code target}. */
  private static void unpackStore(Path zip, Path target) throws IOException {
    try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
      ZipEntry entry;
      boolean found = false;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isDirectory() || !entry.getName().endsWith(".mv.db")) continue;
        if (found) throw new IOException(zip + " holds more than one store file");
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        found = true;
      }
      if (!found) throw new IOException(zip + " is not a Bridgework backup (no .mv.db store file in it)");
    } catch (java.util.zip.ZipException e) {
      throw new IOException(zip + " is not a Bridgework backup (" + e.getMessage() + ")");
    }
  }

  private static void openAndClose(Path store) throws IOException {
    try {
      MVStore mv = new MVStore.Builder().fileName(store.toString()).readOnly().open();
      try {
        if (mv.getMapNames().isEmpty()) throw new IOException(store + " opens but holds nothing");
      } finally {
        mv.close();
      }
    } catch (RuntimeException e) {
      throw new IOException("the backup's store does not open: " + e.getMessage());
    }
  }
}
