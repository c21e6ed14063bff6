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
 * the server's CPU. Each value is written as a var-int length followed by the BSON bytes, and held
 * in memory as those bytes ({@link StoredDocument}): a page is read and written without decoding
 * or encoding any document.
 */
final class BsonDocumentType extends BasicDataType<StoredDocument> {
  static final BsonDocumentType INSTANCE = new BsonDocumentType();
  /** The name recorded in the store once every document map holds BSON. */
  static final String FORMAT = "bson-1";

  private BsonDocumentType() {
  }

  @Override
  public int getMemory(StoredDocument doc) {
    // The bytes, their array's header and the holder.
    return 32 + doc.size();
  }

  @Override
  public void write(WriteBuffer out, StoredDocument doc) {
    out.putVarInt(doc.size()).put(doc.bson());
  }

  @Override
  public StoredDocument read(ByteBuffer in) {
    int length = DataUtils.readVarInt(in);
    byte[] bson = new byte[length];
    in.get(bson);
    return new StoredDocument(bson);
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
  public StoredDocument[] createStorage(int size) {
    return new StoredDocument[size];
  }

  /** Values are never ordered; MVStore only asks whether two are the same (conditional replace). */
  @Override
  public int compare(StoredDocument a, StoredDocument b) {
    return java.util.Arrays.equals(a.bson(), b.bson()) ? 0 : 1;
  }
}
