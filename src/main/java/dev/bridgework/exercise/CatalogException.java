package dev.bridgework.exercise;

/** A broken exercise catalog file. Start-up stops with this message, which names the file and the problem. */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }
}
