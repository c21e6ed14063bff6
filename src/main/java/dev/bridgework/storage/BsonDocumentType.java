package dev.bridgework.storage;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;

/**
 * Stores the embedded database's documents as BSON, the format they arrive in over the wire.
 * mongo-java-server's H2 backend otherwise stores each document with Java serialization (a fresh
 * {@code ObjectOutputStream}, class descriptors and all, per document), and every commit
 * re-serializes every document of every page it touches: the benchmark found that to be most of
 * the server's CPU. Each value is written as a var-int length followed by the BSON bytes.
 */
final class BsonDocumentType extends BasicDataType<Document> {
  static final BsonDocumentType INSTANCE = new BsonDocumentType();
  /** The name recorded in the store once every document map holds BSON. */
  static final String FORMAT = "bson-1";

  private BsonDocumentType() {
  }

  @Override
  public int getMemory(Document doc) {
    // A cache-sizing estimate only: a map entry, a key and a small value per field, nested counted once.
    return 64 + 48 * doc.size();
  }

  @Override
  public void write(WriteBuffer out, Document doc) {
    byte[] bson = encode(doc);
    out.putVarInt(bson.length).put(bson);
  }

  @Override
  public Document read(ByteBuffer in) {
    return readPrefixed(in);
  }

  /** A document's BSON bytes. */
  static byte[] encode(Document doc) {
    ByteBuf bson = Unpooled.buffer(256);
    try {
      BsonEncoder.encodeDocument(doc, bson);
      return ByteBufUtil.getBytes(bson);
    } finally {
      bson.release();
    }
  }

  /** Reads a document written as a var-int length and its BSON bytes. */
  static Document readPrefixed(ByteBuffer in) {
    int length = DataUtils.readVarInt(in);
    ByteBuffer slice = in.slice();
    slice.limit(length);
    in.position(in.position() + length);
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(slice));
  }

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }

  /** Values are never ordered; MVStore only asks whether two are the same (conditional replace). */
  @Override
  public int compare(Document a, Document b) {
    return a.equals(b) ? 0 : 1;
  }
}
