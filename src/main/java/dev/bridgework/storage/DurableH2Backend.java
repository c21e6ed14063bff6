package dev.bridgework.storage;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.Set;

/**
 * mongo-java-server's H2 backend commits its MVStore in the background about once a second, so a
 * crash right after an acknowledged write would lose it. This backend commits before the reply to
 * every write command is sent: the data is in the file (the OS page cache) when the client hears
 * "ok", which is what survives {@code kill -9} of the server process.
 */
final class DurableH2Backend extends H2Backend {
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "findAndModify", "create", "createIndexes",
      "drop", "dropIndexes", "dropDatabase", "renameCollection");

  DurableH2Backend(MVStore store) {
    super(store);
  }

  static DurableH2Backend open(String fileName) {
    // Auto-commit is off: we commit ourselves after every write, and once more on close.
    MVStore store = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
    return new DurableH2Backend(store);
  }

  static DurableH2Backend openInMemory() {
    return new DurableH2Backend(new MVStore.Builder().autoCommitDisabled().open());
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = super.handleCommand(channel, database, command, query);
    if (WRITES.contains(command)) {
      commit();
    }
    return reply;
  }
}
