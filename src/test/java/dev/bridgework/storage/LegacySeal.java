package dev.bridgework.storage;

/**
 * Writes values the way the server did before every ciphertext was bound to its place ({@code e1:},
 * bound to the key's id only), so tests can prove such data still reads. The server itself no
 * longer writes them.
 */
public final class LegacySeal {
  private LegacySeal() {
  }

  public static String firstVersion(DataKey key, String plaintext) {
    return key.sealFirstVersion(plaintext);
  }
}
