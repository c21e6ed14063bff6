package dev.bridgework.app;

import com.mongodb.event.CommandListener;
import dev.bridgework.auth.PasswordHasher;

import java.util.Objects;

/**
 * What an embedder that is not a real server (the test suite) may change, which configuration never
 * can: a listener that hears every database command (tests count a request's round trips), and the
 * password hash's cost (the suite registers thousands of throwaway accounts; a server always hashes
 * at {@link PasswordHasher.Cost#OWASP}, and {@code Main} has no way to ask for less).
 */
public record Embedding(CommandListener commands, PasswordHasher.Cost hashCost) {
  /** As a server runs: no listener, the OWASP cost. */
  public static final Embedding SERVER = new Embedding(null, PasswordHasher.Cost.OWASP);

  public Embedding {
    Objects.requireNonNull(hashCost, "hashCost");
  }
}
