package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

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
 * <p>Documents and index keys are stored in compact formats rather than with Java serialization
 * ({@link StoreFormat}); a store written before that is converted, once, when it is opened.
 */
final class DurableH2Backend extends H2Backend {
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
    StoreFormat.prepare(store);
    return new DurableH2Backend(store);
  }

  static DurableH2Backend openInMemory() {
    MVStore store = new MVStore.Builder().autoCommitDisabled().open();
    StoreFormat.prepare(store);
    return new DurableH2Backend(store);
  }

  /** mongo-java-server's database, with maps in our {@link StoreFormat} and collections that look up ids directly. */
  private final class FormattedDatabase extends H2Database {
    FormattedDatabase(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      String fullName = getFullCollectionNamespace(collectionName);
      return new IdLookupCollection(this, collectionName, options,
          getMvStore().openMap(StoreFormat.documentsMapName(fullName), StoreFormat.documents()),
          getMvStore().openMap(StoreFormat.metaMapName(fullName)), cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      getMvStore().openMap(StoreFormat.indexMapName(getFullCollectionNamespace(collectionName), indexName), StoreFormat.indexKeys());
      return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new FormattedDatabase(databaseName);
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
