package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mongo-java-server's H2 backend commits its MVStore in the background about once a second, so a
 * crash right after an acknowledged write would lose it. This backend commits before the reply to
 * every write command is sent: the data is in the file (the OS page cache) when the client hears
 * "ok", which is what survives {@code kill -9} of the server process.
 *
 * <p>Commits are grouped: a write waits for one commit that covers it, and one commit covers every
 * write finished before it started, so concurrent writers share a commit instead of queueing for
 * one each (the benchmark found the per-write commit to be the server's largest CPU cost).
 *
 * <p>Documents are stored as BSON ({@link BsonDocumentType}) rather than with Java serialization.
 * A store written before that is converted, once, when it is opened.
 */
final class DurableH2Backend extends H2Backend {
  private static final Logger LOG = LoggerFactory.getLogger(DurableH2Backend.class);
  /** mongo-java-server's name prefix for the maps that hold a collection's documents. */
  private static final String DOCUMENTS_PREFIX = "databases.";
  /** Our own map in the store: what format its documents are in. */
  private static final String FORMAT_MAP = "bridgework.storage";
  private static final String FORMAT_KEY = "documents";
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "findAndModify", "create", "createIndexes",
      "drop", "dropIndexes", "dropDatabase", "renameCollection");

  /** Writes whose in-memory change is done, numbered in completion order. */
  private final AtomicLong finishedWrites = new AtomicLong();
  private final Object commitLock = new Object();
  /** The highest write number known to be in the file; guarded by {@link #commitLock}. */
  private long committedWrites;

  DurableH2Backend(MVStore store) {
    super(store);
  }

  static DurableH2Backend open(String fileName) {
    // Auto-commit is off: we commit ourselves after every write, and once more on close.
    MVStore store = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
    convertToBson(store);
    return new DurableH2Backend(store);
  }

  static DurableH2Backend openInMemory() {
    MVStore store = new MVStore.Builder().autoCommitDisabled().open();
    convertToBson(store);
    return new DurableH2Backend(store);
  }

  private static MVMap.Builder<Object, Document> documentMap() {
    return new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE);
  }

  /**
   * Opens every document map of the store as BSON, first rewriting those a store of an earlier
   * version wrote with Java serialization (one commit: the conversion happens whole or not at all).
   */
  static void convertToBson(MVStore store) {
    MVMap<String, String> format = store.openMap(FORMAT_MAP);
    List<String> names = store.getMapNames().stream().filter(n -> n.startsWith(DOCUMENTS_PREFIX)).toList();
    if (!BsonDocumentType.FORMAT.equals(format.get(FORMAT_KEY))) {
      for (String name : names) {
        MVMap<Object, Document> old = store.openMap(name);
        String temporary = "converting." + name;
        if (store.hasMap(temporary)) store.removeMap(temporary);
        MVMap<Object, Document> converted = store.openMap(temporary, documentMap());
        converted.putAll(old);
        store.removeMap(old);
        store.renameMap(converted, name);
      }
      if (!names.isEmpty()) LOG.info("Converted {} collection(s) of the embedded store to BSON", names.size());
      format.put(FORMAT_KEY, BsonDocumentType.FORMAT);
      store.commit();
    } else {
      for (String name : names) store.openMap(name, documentMap());
    }
  }

  /** mongo-java-server's database, with every collection's documents in a BSON map. */
  private final class BsonDatabase extends H2Database {
    BsonDatabase(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      // Opened here first with our value type, the map is the one H2Database then finds open.
      getMvStore().openMap(DOCUMENTS_PREFIX + databaseName + "." + collectionName, documentMap());
      return super.openOrCreateCollection(collectionName, options);
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new BsonDatabase(databaseName);
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = super.handleCommand(channel, database, command, query);
    if (WRITES.contains(command)) {
      long mine = finishedWrites.incrementAndGet();
      synchronized (commitLock) {
        if (committedWrites < mine) {
          // Everything numbered up to here has changed the store already; one commit writes it all.
          long upTo = finishedWrites.get();
          commit();
          committedWrites = upTo;
        }
      }
    }
    return reply;
  }
}
