package dev.bridgework.auth;

import com.mongodb.MongoException;
import dev.bridgework.web.ApiException;
import dev.bridgework.web.Ids;
import dev.bridgework.web.Times;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;

/** Register, log in, log out. Failed logins are throttled per account and per client address. */
public final class AuthService {
  /** Published when sessions end, so the real-time gateway closes their sockets (code 4401). */
  public static final String SESSION_ENDED = "bw.session.ended";
  static final int ACCOUNT_LIMIT = 10;
  static final int ADDRESS_LIMIT = 100;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final UserRepository users;
  private final SessionStore sessions;
  private final PasswordHasher hasher;
  private final Throttle accountThrottle;
  private final Throttle addressThrottle;
  private final Clock clock;
  private final EventBus bus;

  public AuthService(UserRepository users, SessionStore sessions, PasswordHasher hasher,
                     Throttle accountThrottle, Throttle addressThrottle, Clock clock, EventBus bus) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.accountThrottle = accountThrottle;
    this.addressThrottle = addressThrottle;
    this.clock = clock;
    this.bus = bus;
  }

  public record SignedIn(User user, String token) {}

  public Future<SignedIn> register(String email, String password, String displayName) {
    return hasher.hash(password)
        .map(hash -> new User(Ids.random(), email.trim(), displayName.trim(), Times.format(clock.instant()), hash))
        .compose(users::insert)
        .recover(e -> {
          if (e instanceof MongoException m && m.getCode() == 11000) {
            return Future.failedFuture(ApiException.conflict("email_taken", "An account with this email already exists."));
          }
          return Future.failedFuture(e);
        })
        .compose(user -> sessions.create(user.id()).map(token -> new SignedIn(user, token)));
  }

  public Future<SignedIn> login(String email, String password, String address) {
    String accountKey = "login:account:" + UserRepository.emailKey(email);
    String addressKey = "login:address:" + address;
    return Future.all(accountThrottle.retryAfter(accountKey), addressThrottle.retryAfter(addressKey))
        .compose(waits -> {
          long wait = Math.max(waits.<Long>resultAt(0), waits.<Long>resultAt(1));
          if (wait > 0) return Future.failedFuture(ApiException.rateLimited(wait));
          return users.findByEmail(email);
        })
        .compose(user -> (user == null ? hasher.verifyDecoy(password) : hasher.verify(password, user.passwordHash()))
            .compose(ok -> {
              if (!ok) {
                return Future.all(accountThrottle.recordFailure(accountKey), addressThrottle.recordFailure(addressKey))
                    .compose(v -> Future.failedFuture(new ApiException(401, "invalid_credentials",
                        "That email and password do not match an account.")));
              }
              return accountThrottle.reset(accountKey)
                  .compose(v -> sessions.create(user.id()))
                  .map(token -> new SignedIn(user, token));
            }));
  }

  public Future<Void> logout(Principal principal) {
    return sessions.delete(principal.sessionKey())
        .onSuccess(v -> bus.publish(SESSION_ENDED, new JsonObject().put("sessionKey", principal.sessionKey())));
  }

  /** Ends every session of a user (account deletion). */
  public Future<Void> endAllSessions(String userId) {
    return sessions.deleteAllOf(userId)
        .onSuccess(v -> bus.publish(SESSION_ENDED, new JsonObject().put("userId", userId)));
  }

  /** Checks a password for a signed-in user (account deletion); throttled like a login. */
  public Future<User> confirmPassword(String userId, String password) {
    return users.findById(userId).compose(user -> {
      if (user == null) return Future.failedFuture(ApiException.unauthenticated());
      String accountKey = "login:account:" + UserRepository.emailKey(user.email());
      return accountThrottle.retryAfter(accountKey).compose(wait -> {
        if (wait > 0) return Future.failedFuture(ApiException.rateLimited(wait));
        return hasher.verify(password, user.passwordHash()).compose(ok -> ok
            ? Future.succeededFuture(user)
            : accountThrottle.recordFailure(accountKey).compose(v -> Future.failedFuture(
                new ApiException(401, "invalid_credentials", "That password is not right."))));
      });
    });
  }

  /** Deletes the account itself and ends its sessions; the caller erased its data first. */
  public Future<Void> deleteUser(String userId) {
    return endAllSessions(userId).compose(v -> users.delete(userId)).mapEmpty();
  }

  public Future<User> user(String id) {
    return users.findById(id);
  }
}
