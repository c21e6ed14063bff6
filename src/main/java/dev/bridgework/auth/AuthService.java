package dev.bridgework.auth;

import com.mongodb.MongoException;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Accounts without the password on the wire (API.md "Account", revised): the client derives an
 * {@code authKey} from the password and a {@code recoveryAuth} from the recovery code; the server
 * keeps Argon2id hashes of both, the client's kdf parameters and its wrapped vault key, none of which
 * opens private work. Failed sign-ins, recoveries and confirmations are throttled per account and
 * per client address. Legacy accounts (made before) sign in once with their password and upgrade.
 */
public final class AuthService {
  /** Published when sessions end, so the real-time gateway closes their sockets (code 4401). */
  public static final String SESSION_ENDED = "bw.session.ended";
  static final int ACCOUNT_LIMIT = 10;
  static final int ADDRESS_LIMIT = 100;
  static final Duration WINDOW = Duration.ofMinutes(15);
  private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

  private final UserRepository users;
  private final SessionStore sessions;
  private final PasswordHasher hasher;
  private final Throttle accountThrottle;
  private final Throttle addressThrottle;
  private final Clock clock;
  private final EventBus bus;
  private final int minKdfIterations;
  private final byte[] preloginSecret;
  private final DeviceCookies devices;

  public AuthService(UserRepository users, SessionStore sessions, PasswordHasher hasher, Throttle accountThrottle,
                     Throttle addressThrottle, Clock clock, EventBus bus, int minKdfIterations, byte[] preloginSecret) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.accountThrottle = accountThrottle;
    this.addressThrottle = addressThrottle;
    this.clock = clock;
    this.bus = bus;
    this.minKdfIterations = minKdfIterations;
    this.preloginSecret = preloginSecret.clone();
    this.devices = new DeviceCookies(hmac(preloginSecret, "bridgework/device/v1"));
  }

  public record SignedIn(User user, String token) {}

  /** What a client sends when it sets keys: register, recover, a key change. */
  public record NewKeys(String authKey, JsonObject kdf, JsonObject vault, String recoveryAuth) {}

  /** Proof of the password: the {@code authKey} derived from it, or (legacy accounts only) the password. */
  public record Credential(String authKey, String password) {
    String secret() {
      return authKey != null ? authKey : password;
    }
  }

  public int minKdfIterations() {
    return minKdfIterations;
  }

  /**
   * The kdf parameters to derive keys for this email: the account's own; null for a legacy account;
   * for an unknown email a made-up one, stable for that email (its salt is an HMAC of the email under
   * a secret derived from the master key), shaped like a real one and found with the same work.
   */
  public Future<JsonObject> prelogin(String email) {
    JsonObject madeUp = new JsonObject().put("alg", "PBKDF2-SHA256").put("iterations", minKdfIterations)
        .put("salt", B64U.encodeToString(Arrays.copyOf(hmac(preloginSecret, "prelogin:" + UserRepository.emailKey(email)), 16)));
    return users.findByEmail(email).map(user -> {
      if (user == null) return new JsonObject().put("kdf", madeUp);
      return new JsonObject().put("kdf", user.isLegacy() ? null : user.kdf());
    });
  }

  public Future<SignedIn> register(String email, String displayName, NewKeys keys) {
    return hashKeys(keys)
        .map(hashed -> new User(Ids.random(), email.trim(), displayName.trim(), Times.format(clock.instant()), null,
            hashed.authHash(), hashed.kdf(), hashed.vault(), hashed.recoveryHash(), false, null))
        .compose(users::insert)
        .recover(e -> {
          if (e instanceof MongoException m && m.getCode() == 11000) {
            return Future.failedFuture(ApiException.conflict("email_taken", "An account with this email already exists."));
          }
          return Future.failedFuture(e);
        })
        .compose(user -> sessions.create(user.id()).map(token -> new SignedIn(user, token)));
  }

  public Future<SignedIn> login(String email, Credential credential, Caller caller) {
    return throttled("login", email, caller, user -> verify(user, credential), "That email and password do not match an account.")
        .compose(user -> sessions.create(user.id()).map(token -> new SignedIn(user, token)));
  }

  /** The vault key wrapped by the recovery key, for a client that proves it holds the recovery code. */
  public Future<JsonObject> recoverStart(String email, String recoveryAuth, Caller caller) {
    return throttled("recover", email, caller, user -> verifyRecovery(user, recoveryAuth), RECOVERY_MISMATCH)
        .map(user -> new JsonObject().put("recovery", user.vault().getJsonObject("recovery")));
  }

  /** A new password (and recovery code) from the recovery code: every other session ends. */
  public Future<SignedIn> recover(String email, String recoveryAuth, NewKeys keys, Caller caller) {
    return throttled("recover", email, caller, user -> verifyRecovery(user, recoveryAuth), RECOVERY_MISMATCH)
        .compose(user -> hashKeys(keys).compose(hashed -> users.setKeys(user.id(), hashed, user.isLegacy())))
        .compose(user -> endAllSessions(user.id()).compose(v -> sessions.create(user.id())).map(token -> new SignedIn(user, token)));
  }

  private static final String RECOVERY_MISMATCH = "That email and recovery code do not match an account.";

  /** A password change, or a legacy account's upgrade: new keys; every other session of the person ends. */
  public Future<User> changeKeys(Principal principal, Credential current, NewKeys keys, Caller caller) {
    return confirm(principal.userId(), current, caller)
        .compose(user -> hashKeys(keys).compose(hashed -> users.setKeys(user.id(), hashed, user.isLegacy())))
        .compose(user -> endOtherSessions(user.id(), principal.sessionKey()).map(user));
  }

  /** Checks the signed-in person's password proof (key change, account deletion); throttled like a login. */
  public Future<User> confirm(String userId, Credential credential, Caller caller) {
    return users.findById(userId).compose(user -> {
      if (user == null) return Future.failedFuture(ApiException.unauthenticated());
      return throttled("login", user.email(), caller, found -> verify(found, credential), "That password is not right.");
    });
  }

  /**
   * Runs a check of a secret for the account with this email, throttled (ARCHITECTURE.md: single-
   * document atomic operations): one attempt is counted first, for the account (or, from a browser
   * holding this account's device cookie, for that device alone) and for the client address, and
   * only an attempt within both limits reaches the check. Success clears the account's (device's)
   * count and gives the address its attempt back; failure keeps both. An unknown email costs the
   * same work and gets the same 401.
   */
  private Future<User> throttled(String action, String email, Caller caller, Function<User, Future<Boolean>> check,
                                 String mismatch) {
    String emailKey = UserRepository.emailKey(email);
    String device = devices.nonceFor(caller.device(), emailKey);
    // OWASP "Slow down online guessing attacks with device cookies": a browser that signed in to
    // this account before has a counter of its own, so failures from elsewhere do not lock it out.
    String ownKey = device != null ? action + ":device:" + emailKey + ":" + device : action + ":account:" + emailKey;
    String addressKey = caller.address() == null ? null : action + ":address:" + caller.address();
    return accountThrottle.attempt(ownKey).compose(wait -> {
      if (wait > 0) return Future.failedFuture(ApiException.rateLimited(wait));
      if (addressKey == null) return Future.succeededFuture(0L);
      return addressThrottle.attempt(addressKey).compose(addressWait -> addressWait == 0 ? Future.succeededFuture(0L)
          : accountThrottle.refund(ownKey).transform(ignored -> Future.failedFuture(ApiException.rateLimited(addressWait))));
    }).compose(ok -> users.findByEmail(email))
        .compose(user -> check.apply(user).compose(ok -> {
          if (!ok) return Future.failedFuture(new ApiException(401, "invalid_credentials", mismatch));
          Future<Void> refund = addressKey == null ? Future.succeededFuture() : addressThrottle.refund(addressKey);
          return Future.all(accountThrottle.reset(ownKey), refund).map(user);
        }));
  }

  /** Who is asking, as far as throttles care: the client address and the device cookie the browser sent (or null). */
  public record Caller(String address, String device) {
    public static final Caller NONE = new Caller(null, null);
  }

  /** A device cookie naming this account, for a browser that just signed in to it (kept when it already holds one). */
  public String deviceCookieFor(String email, String presented) {
    return devices.cookieFor(presented, UserRepository.emailKey(email));
  }

  private Future<Boolean> verify(User user, Credential credential) {
    if (user == null) return hasher.verifyDecoy(credential.secret());
    if (user.isLegacy()) {
      return credential.password() != null && user.passwordHash() != null
          ? hasher.verify(credential.password(), user.passwordHash())
          : hasher.verifyDecoy(credential.secret());
    }
    return credential.authKey() != null ? hasher.verify(credential.authKey(), user.authHash()) : hasher.verifyDecoy(credential.secret());
  }

  private Future<Boolean> verifyRecovery(User user, String recoveryAuth) {
    if (user == null || user.recoveryHash() == null) return hasher.verifyDecoy(recoveryAuth);
    return hasher.verify(recoveryAuth, user.recoveryHash());
  }

  private Future<UserRepository.Keys> hashKeys(NewKeys keys) {
    return hasher.hash(keys.authKey()).compose(authHash -> hasher.hash(keys.recoveryAuth())
        .map(recoveryHash -> new UserRepository.Keys(authHash, keys.kdf(), keys.vault(), recoveryHash)));
  }

  /**
   * The per-session key a client wraps its vault key with to survive a reload (docs/ENCRYPTION.md):
   * derived from the cookie's secret, which the server stores only as a hash, so neither the database
   * nor the browser's storage alone opens what it wraps.
   */
  public static String sessionKey(String cookieToken) {
    return B64U.encodeToString(hmac(cookieToken.getBytes(StandardCharsets.UTF_8), "bridgework/session-key/v1"));
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The secret behind made-up prelogin answers, derived from the master key so it is stable across restarts and nodes. */
  public static byte[] preloginSecret(byte[] masterKey) {
    return hmac(masterKey, "bridgework/prelogin/v1");
  }

  public Future<Void> logout(Principal principal) {
    return sessions.delete(principal.sessionKey())
        .onSuccess(v -> bus.publish(SESSION_ENDED, new JsonObject().put("sessionKey", principal.sessionKey())));
  }

  /** Ends every session of a user (account deletion, recovery). */
  public Future<Void> endAllSessions(String userId) {
    return sessions.deleteAllOf(userId)
        .onSuccess(v -> bus.publish(SESSION_ENDED, new JsonObject().put("userId", userId)));
  }

  /** Ends every session of a user but the caller's (a password change). */
  public Future<Void> endOtherSessions(String userId, String keepSessionKey) {
    return sessions.keysOf(userId).compose(keys -> {
      List<String> others = keys.stream().filter(key -> !key.equals(keepSessionKey)).toList();
      return Future.all(others.stream().map(key -> sessions.delete(key)
          .onSuccess(v -> bus.publish(SESSION_ENDED, new JsonObject().put("sessionKey", key)))).toList());
    }).mapEmpty();
  }

  /** Deletes the account itself and ends its sessions; the caller erased its data first. */
  public Future<Void> deleteUser(String userId) {
    return endAllSessions(userId).compose(v -> users.delete(userId)).mapEmpty();
  }

  public Future<User> user(String id) {
    return users.findById(id);
  }

  public UserRepository users() {
    return users;
  }
}
