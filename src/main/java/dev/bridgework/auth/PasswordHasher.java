package dev.bridgework.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id with the OWASP Password Storage Cheat Sheet's first configuration: m=19 MiB, t=2, p=1
 * ({@link Cost#OWASP}).
 * Hashing costs tens of milliseconds of CPU, so it always runs on a worker thread, never on an
 * event loop. Stored as a PHC string ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so the
 * parameters can be raised later without breaking old hashes.
 */
public final class PasswordHasher {
  /**
   * What one hash costs: memory in KiB, passes, lanes. A server always hashes at {@link #OWASP};
   * only an embedder that is not a server (the test suite, which registers thousands of throwaway
   * accounts) may choose less, through {@code Application.Embedding}, never through configuration.
   * Every hash names its own cost in its PHC string, so a hash made at any cost verifies anywhere.
   */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    /** The OWASP Password Storage Cheat Sheet's first configuration: m=19 MiB, t=2, p=1. */
    public static final Cost OWASP = new Cost(19 * 1024, 2, 1);

    public Cost {
      // Argon2 itself needs at least 8 KiB per lane and one pass.
      if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
        throw new IllegalArgumentException("not an Argon2 cost: m=" + memoryKib + ", t=" + iterations + ", p=" + parallelism);
      }
    }
  }

  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final Vertx vertx;
  private final Cost cost;
  private final SecureRandom random = new SecureRandom();
  /** A real hash of a random password, checked when the email is unknown so timing reveals nothing. */
  private volatile String decoy;

  /** Hashes at {@link Cost#OWASP}. */
  public PasswordHasher(Vertx vertx) {
    this(vertx, Cost.OWASP);
  }

  public PasswordHasher(Vertx vertx, Cost cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

  public Future<String> hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return vertx.executeBlocking(() -> {
      byte[] out = derive(password, salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
      return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
          + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }, false);
  }

  public Future<Boolean> verify(String password, String stored) {
    return vertx.executeBlocking(() -> verifyBlocking(password, stored), false);
  }

  /** Spends the same work as a real check, for unknown emails. */
  public Future<Boolean> verifyDecoy(String password) {
    if (decoy == null) {
      return hash(Long.toHexString(random.nextLong())).compose(h -> {
        decoy = h;
        return verify(password, h).map(false);
      });
    }
    return verify(password, decoy).map(false);
  }

  static boolean verifyBlocking(String password, String stored) {
    String[] parts = stored.split("\\$");
    // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
    if (parts.length != 6 || !"argon2id".equals(parts[1])) return false;
    int m = 0, t = 0, p = 0;
    for (String kv : parts[3].split(",")) {
      String[] pair = kv.split("=");
      int value = Integer.parseInt(pair[1]);
      switch (pair[0]) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> { }
      }
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = derive(password, salt, m, t, p);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[HASH_BYTES];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
