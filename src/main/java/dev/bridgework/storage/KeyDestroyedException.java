package dev.bridgework.storage;

/**
 * A data key was destroyed (its couple dissolved, its person deleted, its held item sealed): what it
 * sealed is gone for good, and nothing new may be sealed for that owner. The web layer answers 404,
 * exactly as if the thing never existed.
 */
public final class KeyDestroyedException extends RuntimeException {
  public KeyDestroyedException(String keyId) {
    super("data key destroyed: " + keyId.charAt(0), null, false, false);
  }
}
