package dev.bridgework.testing;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real MongoClient, except that while armed the writes into chosen collections fail as if the
 * connection dropped (the database's fault, not ours): what a node sees when the database hiccups
 * between a document write and its event. Everything else goes to the real database.
 */
public final class FaultyMongo {
  private static final Set<String> WRITES = Set.of("insert", "insertWithOptions", "save", "saveWithOptions",
      "findOneAndUpdate", "findOneAndUpdateWithOptions", "updateCollection", "updateCollectionWithOptions");

  private final MongoClient real;
  private final AtomicInteger failures = new AtomicInteger();
  private volatile Set<String> collections = Set.of();
  public final MongoClient client;

  public FaultyMongo(MongoClient real) {
    this.real = real;
    this.client = (MongoClient) Proxy.newProxyInstance(MongoClient.class.getClassLoader(), new Class<?>[]{MongoClient.class},
        (proxy, method, args) -> {
          if (WRITES.contains(method.getName()) && args != null && args.length > 0 && collections.contains(args[0])
              && failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return Future.failedFuture(new MongoSocketWriteException("connection dropped (injected)", new ServerAddress(),
                new IOException("broken pipe")));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The next {@code times} writes into any of {@code collections} fail. */
  public void failNext(int times, String... collections) {
    this.collections = Set.of(collections);
    failures.set(times);
  }

  public void heal() {
    failures.set(0);
  }
}
