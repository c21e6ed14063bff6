package dev.bridgework.storage;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of the embedded database's unique indexes (the {@code _id} index of every collection,
 * and our own unique indexes). H2 would store them with Java serialization and, as they are not
 * {@code Comparable}, compare two keys by serializing both, at every step of every index lookup;
 * the benchmark found that to be a large part of the server's CPU. Here each value is written with
 * a one-byte tag (strings, numbers and booleans directly, anything else as a one-field BSON
 * document), and keys are compared value by value, the rare other kinds by their BSON bytes.
 */
final class IndexKeyType extends BasicDataType<KeyValue> {
  static final IndexKeyType INSTANCE = new IndexKeyType();
  /** The name recorded in the store once every index map is in this format. */
  static final String FORMAT = "tagged-1";

  private static final byte NULL = 0;
  private static final byte MISSING = 1;
  private static final byte FALSE = 2;
  private static final byte TRUE = 3;
  private static final byte INT = 4;
  private static final byte LONG = 5;
  private static final byte DOUBLE = 6;
  private static final byte STRING = 7;
  private static final byte OTHER = 8;

  private IndexKeyType() {
  }

  @Override
  public int getMemory(KeyValue key) {
    return 32 + 32 * key.size();
  }

  @Override
  public void write(WriteBuffer out, KeyValue key) {
    out.putVarInt(key.size());
    for (Object value : key) writeValue(out, value);
  }

  private static void writeValue(WriteBuffer out, Object value) {
    byte tag = tagOf(value);
    out.put(tag);
    switch (tag) {
      case INT -> out.putInt((Integer) value);
      case LONG -> out.putLong((Long) value);
      case DOUBLE -> out.putDouble((Double) value);
      case STRING -> {
        String s = (String) value;
        out.putVarInt(s.length()).putStringData(s, s.length());
      }
      case OTHER -> {
        byte[] bson = bson(value);
        out.putVarInt(bson.length).put(bson);
      }
      default -> { } // the tag says it all
    }
  }

  @Override
  public KeyValue read(ByteBuffer in) {
    int size = DataUtils.readVarInt(in);
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) values.add(readValue(in));
    return new KeyValue(values);
  }

  private static Object readValue(ByteBuffer in) {
    byte tag = in.get();
    return switch (tag) {
      case NULL -> null;
      case MISSING -> Missing.getInstance();
      case FALSE -> Boolean.FALSE;
      case TRUE -> Boolean.TRUE;
      case INT -> in.getInt();
      case LONG -> in.getLong();
      case DOUBLE -> in.getDouble();
      case STRING -> DataUtils.readString(in, DataUtils.readVarInt(in));
      case OTHER -> BsonDocumentType.readPrefixed(in).get("v");
      default -> throw new IllegalStateException("unknown index key tag " + tag);
    };
  }

  @Override
  public KeyValue[] createStorage(int size) {
    return new KeyValue[size];
  }

  @Override
  public int compare(KeyValue a, KeyValue b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compareValues(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareValues(Object x, Object y) {
    byte tx = tagOf(x);
    byte ty = tagOf(y);
    if (tx != ty) return Byte.compare(tx, ty);
    return switch (tx) {
      case INT -> Integer.compare((Integer) x, (Integer) y);
      case LONG -> Long.compare((Long) x, (Long) y);
      case DOUBLE -> Double.compare((Double) x, (Double) y);
      case STRING -> ((String) x).compareTo((String) y);
      case OTHER -> Arrays.compareUnsigned(bson(x), bson(y)); // as H2 did: equal when the bytes are
      default -> 0; // null, missing, true, false: the tag is the value
    };
  }

  private static byte tagOf(Object value) {
    if (value == null) return NULL;
    if (value instanceof Missing) return MISSING;
    if (value instanceof Boolean b) return b ? TRUE : FALSE;
    if (value instanceof Integer) return INT;
    if (value instanceof Long) return LONG;
    if (value instanceof Double) return DOUBLE;
    if (value instanceof String) return STRING;
    return OTHER;
  }

  private static byte[] bson(Object value) {
    return BsonDocumentType.encode(new Document("v", value));
  }
}
