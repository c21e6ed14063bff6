package dev.bridgework.storage;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * mongo-java-server's H2 collection, except that a query naming its {@code _id}s goes straight to
 * those documents. The stock collection uses an index only when the query's fields are exactly the
 * index's, so {@code {_id: x, version: 3}} or {@code {_id: {$in: [...]}, coupleId: c}} read every
 * document of the collection; real MongoDB would use the {@code _id} index and check the rest on
 * what it finds, and so does this. The rest of the query is still applied, by mongo-java-server's
 * own matcher, to the documents found.
 *
 * <p>Only string ids take this path (every id Bridgework stores is one): a document's key in the
 * map is its {@code _id} as stored, so a string in the query finds exactly the documents whose
 * {@code _id} equals it. Any other query goes the stock way.
 *
 * <p>The documents are held as their BSON bytes ({@link StoredDocument}) and decoded when read:
 * every method of the stock collection that touches its map is replaced here by one that encodes
 * on the way in and decodes on the way out (the stock class only keeps the map).
 */
final class IdLookupCollection extends H2Collection {
  private final MVMap<Object, StoredDocument> documents;

  @SuppressWarnings({"unchecked", "rawtypes"})
  IdLookupCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, StoredDocument> documents,
                     MVMap<String, Object> meta, CursorRegistry cursors) {
    // The stock collection only holds on to the map; everything that reads or writes it is overridden below.
    super(database, name, options, (MVMap) documents, meta, cursors);
    this.documents = documents;
  }

  @Override
  protected Object addDocumentInternal(Document document) {
    Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
    StoredDocument previous = documents.put(Missing.ofNullable(key), StoredDocument.of(document));
    if (previous != null) throw new IllegalStateException("Document with key '" + key + "' already existed in " + this);
    return key;
  }

  @Override
  protected Document getDocument(Object position) {
    StoredDocument stored = documents.get(position);
    return stored == null ? null : stored.decode();
  }

  @Override
  protected void removeDocument(Object position) {
    if (documents.remove(position) == null) throw new NoSuchElementException("No document with key " + position);
  }

  @Override
  protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
    documents.put(Missing.ofNullable(position), StoredDocument.of(newDocument));
  }

  @Override
  protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
    return documents.entrySet().stream().map(entry -> new DocumentWithPosition<>(entry.getValue().decode(), entry.getKey()));
  }

  @Override
  protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                       Document fieldSelector) {
    Stream<Document> all = isNaturalDescending(orderBy)
        ? streamAllDocumentsWithPosition().sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
            .map(DocumentWithPosition::getDocument)
        : documents.values().stream().map(StoredDocument::decode);
    return matchDocumentsFromStream(all, query, orderBy, skip, limit, batchSize, fieldSelector);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                       Document fieldSelector) {
    List<String> ids = stringIds(query);
    if (ids == null) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
    // Sorted by id: the order a scan of the map would have given, for queries without a sort.
    return matchDocumentsFromStream(ids.stream().distinct().sorted().map(this::getDocument).filter(Objects::nonNull),
        query, orderBy, skip, limit, batchSize, fieldSelector);
  }

  /** The ids a query can only match: {@code {_id: "x", ...}} or {@code {_id: {$in: ["x", ...]}, ...}}; else null. */
  static List<String> stringIds(Document query) {
    Object id = query.get("_id");
    if (id instanceof String s) return List.of(s);
    if (id instanceof Document d && d.size() == 1 && d.get("$in") instanceof Collection<?> in
        && in.stream().allMatch(v -> v instanceof String)) {
      return in.stream().map(String.class::cast).toList();
    }
    return null;
  }
}
