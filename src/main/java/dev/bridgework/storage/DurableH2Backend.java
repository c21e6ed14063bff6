package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipOutputStream;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mongo-java-server's H2 backend commits its MVStore in the background about once a second, so a
 * crash right after an acknowledged write would lose it. This backend commits before the reply to
 * every write command is sent: the data is in the file (the OS page cache) when the client hears
 * "ok", which is what survives {@code kill -9} of the server process. A write that asks not to be
 * durable on its own ({@code j: false}, {@link #askedDurable}) is applied without a commit; the next
 * commit covers it (a request sends its writes so until the one its answer waits for).
 *
 * <p>Commits are grouped: a write waits for one commit that covers it, and one commit covers every
 * write finished before it started, so concurrent writers share a commit instead of queueing for
 * one each (the benchmark found the per-write commit to be the server's largest CPU cost).
 *
 * <p>A commit never runs beside a command: it serialises every document changed since the last one,
 * and mongo-java-server works on stored documents in place, so a command changing (or projecting)
 * one while it is written broke the commit ({@code ConcurrentModificationException}), and H2 then
 * closed the store for good (found by the soak under concurrent writes). Commands share
 * {@link #quiet}; a commit takes it alone, for the milliseconds it lasts.
 *
 * <p>Auto-commit being off, H2 never compacts the file by itself; {@link Compaction} does (and has
 * the space of superseded chunks reused at once), in short steps on its own thread, each holding the
 * store alone as a commit does.
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
  /** Shared by commands, held alone by a commit (fair: a waiting commit is not overtaken by new commands). */
  private final java.util.concurrent.locks.ReentrantReadWriteLock quiet = new java.util.concurrent.locks.ReentrantReadWriteLock(true);
  /** The highest write number known to be in the file; guarded by {@link #commitLock}. */
  private long committedWrites;
  /** Keeps the file near the size of its live data; null in memory or unmanaged. */
  private volatile Compaction compaction;

  /** Commands timed under their own name; anything else is "other" (a label never holds free text). */
  private static final Set<String> TIMED = Set.of(
      "find", "getMore", "killCursors", "count", "aggregate", "distinct", "insert", "update", "delete",
      "findAndModify", "findandmodify", "create", "createIndexes", "drop", "dropIndexes", "listCollections",
      "listIndexes", "ping", "hello", "isMaster", "ismaster", "buildInfo", "endSessions");

  private volatile MeterRegistry meters = new CompositeMeterRegistry();
  private volatile Timer commitTimer = Timer.builder("bridgework.db.commit").register(meters);

  DurableH2Backend(MVStore store) {
    super(store);
  }

  /** One timer per command label, looked up once (a write is the hot path). */
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> commandTimers = new java.util.concurrent.ConcurrentHashMap<>();

  /** Command latency and commit time go to this registry from now on. */
  void instrument(MeterRegistry registry) {
    this.meters = registry;
    commandTimers.clear();
    this.commitTimer = Timer.builder("bridgework.db.commit")
        .description("Time to commit the embedded store before a write is acknowledged (one commit may cover several writes)")
        .publishPercentileHistogram().register(registry);
  }

  static DurableH2Backend open(String fileName) {
    return open(fileName, Compaction.Policy.DEFAULT);
  }

  /**
   * {@code compaction} null: no background compaction and H2's own retention (an offline tool that
   * compacts by itself, {@code StoreCompaction}); {@link Compaction.Policy#unmanaged()} is the same.
   */
  static DurableH2Backend open(String fileName, Compaction.Policy compaction) {
    // Auto-commit is off: we commit ourselves after every write, and once more on close.
    MVStore store = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
    StoreFormat.prepare(store);
    DurableH2Backend backend = new DurableH2Backend(store);
    if (compaction != null) backend.compaction = Compaction.start(store, backend::alone, compaction);
    return backend;
  }

  /** The file's background compaction (null in memory or unmanaged). */
  Compaction compaction() {
    return compaction;
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

    /**
     * mongo-java-server keeps no secondary indexes (queries that need one go through our
     * directories instead) and declares them with an {@link EmptyIndex}, which it then "builds" by
     * reading every document of the collection twice, at every start: on a database a couple has
     * used for months that was most of the start-up (docs/PERFORMANCE.md "Start-up"). An index
     * with nothing to build says it holds something, so nothing is read.
     */
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new EmptyIndex<>(indexName, keys) {
        @Override
        public boolean isEmpty() {
          return false;
        }
      };
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new FormattedDatabase(databaseName);
  }

  /**
   * An online backup: H2's own format (a zip holding the store file), written while commits wait.
   * Everything acknowledged so far is committed first, and the file is copied with the store's file
   * operations suspended, so the copy is one consistent commit. Writers keep working in memory
   * meanwhile; their replies wait for the next commit, after the copy.
   */
  void backup(OutputStream out) {
    MVStore store = getMvStore();
    if (store.getFileStore() == null) throw new IllegalStateException("An in-memory store has no file to back up");
    synchronized (commitLock) {
      long upTo = finishedWrites.get();
      commitAlone();
      committedWrites = Math.max(committedWrites, upTo);
      ZipOutputStream zip = new ZipOutputStream(out);
      store.executeFilestoreOperation(() -> {
        try {
          store.getFileStore().backup(zip);
          zip.finish();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    long started = System.nanoTime();
    try {
      return handleAndCommit(channel, database, command, query);
    } finally {
      commandTimers.computeIfAbsent(TIMED.contains(command) ? command : "other", label -> Timer.builder("bridgework.db.command")
              .description("Embedded database commands, from arrival to reply (commit included)")
              .tag("command", label).publishPercentileHistogram().register(meters))
          .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private Document handleAndCommit(Channel channel, String database, String command, Document query) {
    Document reply;
    long mine = 0;
    quiet.readLock().lock();
    try {
      reply = super.handleCommand(channel, database, command, query);
      if (WRITES.contains(command)) mine = finishedWrites.incrementAndGet();
    } finally {
      quiet.readLock().unlock();
    }
    if (mine > 0 && askedDurable(query)) {
      synchronized (commitLock) {
        if (committedWrites < mine) {
          // Everything numbered up to here has changed the store already; one commit writes it all.
          long upTo = finishedWrites.get();
          commitTimer.record(this::commitAlone);
          committedWrites = upTo;
        }
      }
    }
    return reply;
  }

  /**
   * Runs {@code work} with no command and no commit beside it (a compaction step rewrites pages and
   * commits): after any commit under way, as a commit would, and never during a backup's copy.
   */
  private boolean alone(java.util.function.BooleanSupplier work) {
    synchronized (commitLock) {
      quiet.writeLock().lock();
      try {
        return work.getAsBoolean();
      } finally {
        quiet.writeLock().unlock();
      }
    }
  }

  /**
   * False for a write whose write concern does not ask for it to be durable before it is
   * acknowledged ({@code j: false}, or {@code w: 0}): it is applied, and the next commit (of any
   * later durable write, or the close) makes it durable, since a commit writes everything applied
   * before it. The file therefore always holds a prefix of the writes in the order they were
   * applied (docs/PERFORMANCE.md "The share path's database work").
   */
  static boolean askedDurable(Document command) {
    if (!(command.get("writeConcern") instanceof Document concern)) return true;
    if (Boolean.FALSE.equals(concern.get("j"))) return false;
    return !(concern.get("w") instanceof Number w && w.intValue() == 0);
  }

  /** Commits while no command runs (see the class comment). */
  private void commitAlone() {
    quiet.writeLock().lock();
    try {
      commit();
    } finally {
      quiet.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    if (compaction != null) compaction.close();
    quiet.writeLock().lock();
    try {
      super.close();
    } finally {
      quiet.writeLock().unlock();
    }
  }
}
