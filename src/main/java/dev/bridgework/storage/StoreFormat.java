package dev.bridgework.storage;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How the embedded store keeps its maps: a collection's documents as BSON ({@link BsonDocumentType})
 * and unique-index keys tagged ({@link IndexKeyType}), where mongo-java-server's H2 backend would
 * use Java serialization for both. Every such map must be opened with its type before the backend
 * opens it by name (MVStore then hands out the map already open); {@link #prepare} does so for the
 * maps a store has, first converting those a store of an earlier version wrote, and the backend's
 * database does so for maps it creates later.
 */
final class StoreFormat {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFormat.class);
  /** mongo-java-server's names: {@code databases.<db>.<collection>} and {@code <db>.<collection>._index_<name>}. */
  private static final String DOCUMENTS_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";
  private static final String INDEX_INFIX = "._index_";
  /** Our own map in the store: which format each kind of map is in. */
  private static final String FORMAT_MAP = "bridgework.storage";

  private StoreFormat() {
  }

  static String documentsMapName(String fullCollectionName) {
    return DOCUMENTS_PREFIX + fullCollectionName;
  }

  static String metaMapName(String fullCollectionName) {
    return META_PREFIX + fullCollectionName;
  }

  static String indexMapName(String fullCollectionName, String indexName) {
    return fullCollectionName + INDEX_INFIX + indexName;
  }

  static MVMap.Builder<Object, StoredDocument> documents() {
    return new MVMap.Builder<Object, StoredDocument>().valueType(BsonDocumentType.INSTANCE);
  }

  static MVMap.Builder<KeyValue, Object> indexKeys() {
    return new MVMap.Builder<KeyValue, Object>().keyType(IndexKeyType.INSTANCE);
  }

  private static boolean isDocuments(String name) {
    return name.startsWith(DOCUMENTS_PREFIX);
  }

  private static boolean isIndex(String name) {
    return name.contains(INDEX_INFIX) && !name.startsWith(DOCUMENTS_PREFIX) && !name.startsWith(META_PREFIX);
  }

  /** Converts what an earlier version wrote and opens every document and index map with its type. */
  static void prepare(MVStore store) {
    MVMap<String, String> format = store.openMap(FORMAT_MAP);
    boolean changed = convert(store, format, "documents", BsonDocumentType.FORMAT, StoreFormat::isDocuments, StoreFormat::documents,
        (Object value) -> StoredDocument.of((Document) value));
    changed |= convert(store, format, "indexKeys", IndexKeyType.FORMAT, StoreFormat::isIndex, StoreFormat::indexKeys, value -> value);
    // One commit for all of it: a conversion happens whole or not at all.
    if (changed) store.commit();
  }

  /** {@code value}: an old map's value (as Java serialization gave it back) in the new map's type. */
  private static <K, V> boolean convert(MVStore store, MVMap<String, String> format, String kind, String current,
                                        Predicate<String> ofKind, Supplier<MVMap.Builder<K, V>> builder,
                                        Function<Object, V> value) {
    List<String> names = store.getMapNames().stream().filter(ofKind).toList();
    if (current.equals(format.get(kind))) {
      for (String name : names) store.openMap(name, builder.get());
      return false;
    }
    for (String name : names) {
      MVMap<K, Object> old = store.openMap(name);
      String temporary = "converting." + name;
      if (store.hasMap(temporary)) store.removeMap(temporary);
      MVMap<K, V> converted = store.openMap(temporary, builder.get());
      for (var entry : old.entrySet()) converted.put(entry.getKey(), value.apply(entry.getValue()));
      store.removeMap(old);
      store.renameMap(converted, name);
    }
    if (!names.isEmpty()) LOG.info("Converted {} map(s) of the embedded store to the {} format {}", names.size(), kind, current);
    format.put(kind, current);
    return true;
  }
}
