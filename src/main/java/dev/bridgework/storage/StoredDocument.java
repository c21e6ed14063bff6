package dev.bridgework.storage;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;

/**
 * A document as the embedded store keeps it: its BSON bytes, decoded only when a command reads
 * this document. MVStore reads and writes whole pages (dozens of documents each): with decoded
 * documents as values, reading one document decoded every document of its page, and every commit
 * encoded every document of every page it touched again. Kept as bytes, a page is copied in and
 * out, and only what a command asks for is decoded (docs/PERFORMANCE.md "The embedded store's
 * values").
 */
final class StoredDocument {
  private final byte[] bson;

  StoredDocument(byte[] bson) {
    this.bson = bson;
  }

  static StoredDocument of(Document document) {
    return new StoredDocument(BsonDocumentType.encode(document));
  }

  /** A fresh document each time: nobody's change to it reaches the store or another reader. */
  Document decode() {
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
  }

  byte[] bson() {
    return bson;
  }

  int size() {
    return bson.length;
  }
}
