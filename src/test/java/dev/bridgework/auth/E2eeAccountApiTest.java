package dev.bridgework.auth;

import dev.bridgework.testing.Api;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ClientCrypto.Keys;
import dev.bridgework.testing.TestServer;
import dev.bridgework.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.Checks.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts under end-to-end encryption (API.md "Account", ENCRYPTION.md): the password never reaches
 * the server, only an {@code authKey} derived from it, which the server keeps as an Argon2id hash
 * next to the wrapped vault key it hands back at sign-in; recovery by code; key changes end other
 * sessions; the session key lives only as long as the session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class E2eeAccountApiTest {
  static TestServer server;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onSuccess(started -> server = started).onComplete(ctx.succeedingThenComplete());
  }

  static String email(String name) {
    return name + "-" + UUID.randomUUID() + "@example.test";
  }

  static HttpResponse<Buffer> prelogin(TestServer on, String email) {
    return on.client().post("/api/auth/prelogin", new JsonObject().put("email", email));
  }

  static JsonObject kdfOf(TestServer on, String email) {
    var r = prelogin(on, email);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(1, r.bodyAsJsonObject().size(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonObject("kdf");
  }

  static JsonObject storedUser(String email) {
    JsonObject doc = server.mongo().findOne("users", new JsonObject().put("emailKey", email.toLowerCase()), null).await();
    assertNotNull(doc, "no user document for " + email);
    return doc;
  }

  /** The body to register, kept so the test knows exactly what was sent. */
  record Registered(Api api, Keys keys, JsonObject body) {}

  static Registered register(String name) {
    Keys keys = Api.freshKeys();
    String email = email(name);
    JsonObject body = TestServer.registration(email, name, keys);
    Api api = server.client();
    var r = api.post("/api/auth/register", body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(body.getJsonObject("vault"), r.bodyAsJsonObject().getJsonObject("vault"), "register answers the vault as sent");
    return new Registered(TestServer.signedIn(api, r.bodyAsJsonObject().getJsonObject("user"), email, keys), keys, body);
  }

  /** 400 {@code invalid} naming {@code field} or something inside it ({@code vault.wrapped.iv}). */
  static void assertInvalidAt(HttpResponse<Buffer> r, String field) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("invalid", error.getString("code"), r.bodyAsString());
    String named = error.getString("field");
    assertTrue(named != null && (named.equals(field) || named.startsWith(field + ".")), "expected " + field + ": " + r.bodyAsString());
  }

  static JsonObject recoveryBody(String email, Keys old, Keys fresh) {
    return fresh.body().put("email", email).put("recoveryAuth", old.recoveryAuth()).put("recoveryAuth2", fresh.recoveryAuth());
  }

  // ---- prelogin ------------------------------------------------------------------------------

  @Test
  void preloginAnswersTheRegisteredKdf() {
    Registered alice = register("Alice");
    assertEquals(alice.keys().kdf().toJson(), kdfOf(server, alice.api().email()));
    assertEquals(alice.keys().kdf().toJson(), kdfOf(server, alice.api().email().toUpperCase()), "emails ignore case");
  }

  @Test
  void preloginForAnUnknownEmailAnswersAMadeUpKdfOfTheSameShapeThatIsStableAndPerEmail() {
    String nobody = email("nobody");
    JsonObject madeUp = kdfOf(server, nobody);
    assertEquals(3, madeUp.size(), madeUp.encode());
    assertEquals("PBKDF2-SHA256", madeUp.getString("alg"));
    assertEquals(TestServer.TEST_MIN_KDF_ITERATIONS, madeUp.getInteger("iterations"), "the configured minimum");
    assertEquals(16, ClientCrypto.unb64(madeUp.getString("salt")).length);
    assertEquals(madeUp, kdfOf(server, nobody), "the same answer every time");
    assertNotEquals(madeUp.getString("salt"), kdfOf(server, email("someone-else")).getString("salt"), "another email, another salt");
    assertEquals(0L, server.mongo().count("users", new JsonObject().put("emailKey", nobody)).await(), "asking stores nothing");
    // Invalid requests still get the contract's errors.
    assertInvalidAt(server.client().post("/api/auth/prelogin", new JsonObject().put("email", 5)), "email");
    assertInvalidAt(server.client().post("/api/auth/prelogin", new JsonObject()), "email");
  }

  @Test
  void theMadeUpKdfSurvivesARestartWithTheSameMasterKey(Vertx vertx) throws Exception {
    Path dataDir = Files.createTempDirectory("bw-prelogin");
    String nobody = email("nobody");
    String other = email("other");
    JsonObject first;
    JsonObject firstOther;
    try (TestServer one = TestServer.startOn(vertx, Map.of("data.dir", dataDir.toString()))) {
      first = kdfOf(one, nobody);
      firstOther = kdfOf(one, other);
    }
    assertTrue(Files.exists(dataDir.resolve("master.key")));
    try (TestServer two = TestServer.startOn(vertx, Map.of("data.dir", dataDir.toString()))) {
      assertEquals(first, kdfOf(two, nobody), "an unknown email gets the same made-up kdf after a restart");
      assertEquals(firstOther, kdfOf(two, other));
    }
    // Another installation (another master key) makes up other salts: nothing is a fixed constant.
    Path elsewhere = Files.createTempDirectory("bw-prelogin-other");
    try (TestServer three = TestServer.startOn(vertx, Map.of("data.dir", elsewhere.toString()))) {
      assertNotEquals(first.getString("salt"), kdfOf(three, nobody).getString("salt"));
    }
  }

  // ---- register --------------------------------------------------------------------------------

  @Test
  void registerRefusesWeakKdfsMalformedKeysAndEnvelopesAndAnyPassword() {
    String email = email("Refused");
    Keys keys = Api.freshKeys();
    JsonObject good = TestServer.registration(email, "Refused", keys);
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {good.copy().put("kdf", keys.kdf().toJson().put("iterations", TestServer.TEST_MIN_KDF_ITERATIONS - 1)), "kdf"});
    cases.add(new Object[] {good.copy().put("kdf", keys.kdf().toJson().put("iterations", "1000")), "kdf"});
    cases.add(new Object[] {good.copy().put("kdf", keys.kdf().toJson().put("alg", "MD5")), "kdf"});
    cases.add(new Object[] {good.copy().put("kdf", keys.kdf().toJson().put("salt", ClientCrypto.b64(ClientCrypto.random(8)))), "kdf"});
    cases.add(new Object[] {good.copy().put("kdf", keys.kdf().toJson().put("pepper", "x")), "kdf"});
    cases.add(new Object[] {without(good, "kdf"), "kdf"});
    for (String key : List.of("authKey", "recoveryAuth")) {
      cases.add(new Object[] {good.copy().put(key, ClientCrypto.b64(ClientCrypto.random(31))), key});
      cases.add(new Object[] {good.copy().put(key, ClientCrypto.b64(ClientCrypto.random(33))), key});
      cases.add(new Object[] {good.copy().put(key, "not base64url at all!"), key});
      cases.add(new Object[] {good.copy().put(key, java.util.Base64.getEncoder().encodeToString(ClientCrypto.random(32))), key});
      cases.add(new Object[] {good.copy().put(key, 32), key});
      cases.add(new Object[] {without(good, key), key});
    }
    for (String envelope : List.of("wrapped", "recovery")) {
      JsonObject vault = good.getJsonObject("vault");
      JsonObject sealed = vault.getJsonObject(envelope);
      for (JsonObject bad : List.of(sealed.copy().put("v", 2), sealed.copy().put("iv", ClientCrypto.b64(ClientCrypto.random(16))),
          sealed.copy().put("ct", "%%%"), sealed.copy().put("extra", 1), new JsonObject())) {
        cases.add(new Object[] {good.copy().put("vault", vault.copy().put(envelope, bad)), "vault"});
      }
      cases.add(new Object[] {good.copy().put("vault", without(vault, envelope)), "vault"});
    }
    cases.add(new Object[] {good.copy().put("vault", good.getJsonObject("vault").copy().put("plain", "x")), "vault"});
    cases.add(new Object[] {without(good, "vault"), "vault"});
    cases.add(new Object[] {good.copy().put("password", Api.PASSWORD), "password"});
    for (Object[] c : cases) {
      var r = server.client().post("/api/auth/register", (JsonObject) c[0]);
      assertInvalidAt(r, (String) c[1]);
    }
    // The legacy body of before: refused, it carries the password.
    var legacy = server.client().post("/api/auth/register", new JsonObject().put("email", email).put("displayName", "Refused")
        .put("password", Api.PASSWORD));
    assertEquals(400, legacy.statusCode(), legacy.bodyAsString());
    assertEquals(0L, server.mongo().count("users", new JsonObject().put("emailKey", email.toLowerCase())).await(), "nothing was stored");

    var ok = server.client().post("/api/auth/register", good);
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
  }

  @Test
  void theStoredUserHoldsNoKeyNoCodeAndNoPasswordOnlyArgon2idHashes() {
    Registered alice = register("Alice");
    JsonObject doc = storedUser(alice.api().email());
    String raw = doc.encode();
    Keys keys = alice.keys();
    byte[] authKey = ClientCrypto.unb64(keys.authKey());
    byte[] recoveryAuth = ClientCrypto.unb64(keys.recoveryAuth());
    List<String> forbidden = new ArrayList<>(List.of(Api.PASSWORD, keys.authKey(), keys.recoveryAuth(),
        ClientCrypto.b64(keys.stretched()), ClientCrypto.b64(keys.vaultKey()), ClientCrypto.b64(keys.recoveryCode()),
        ClientCrypto.formatRecoveryCode(keys.recoveryCode()), ClientCrypto.formatRecoveryCode(keys.recoveryCode()).replace("-", "")));
    for (byte[] secret : List.of(authKey, recoveryAuth, keys.stretched(), keys.vaultKey(), keys.recoveryCode())) {
      forbidden.add(java.util.Base64.getEncoder().encodeToString(secret));
      forbidden.add(java.util.Base64.getEncoder().withoutPadding().encodeToString(secret));
      forbidden.add(HexFormat.of().formatHex(secret));
    }
    for (String secret : forbidden) assertFalse(raw.contains(secret), "the users document holds a secret: " + secret);
    assertFalse(raw.toLowerCase().contains("\"password\""), raw);

    List<String> hashes = new ArrayList<>();
    collectStrings(doc, hashes);
    List<String> argon = hashes.stream().filter(s -> s.startsWith("$argon2")).toList();
    assertEquals(2, argon.size(), "an Argon2id hash of the authKey and one of the recoveryAuth: " + raw);
    var cost = TestServer.TEST_HASH_COST;
    String phc = "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$";
    argon.forEach(h -> assertTrue(h.startsWith(phc), "an Argon2id PHC string naming its cost: " + h));
    assertNotEquals(argon.get(0), argon.get(1));
    assertEquals(alice.body().getJsonObject("vault"), findObjectWith(doc, "wrapped"), "the wrapped vault key is kept as sent");
  }

  // ---- login -----------------------------------------------------------------------------------

  @Test
  void loginWithTheRightKeyAnswersTheUserAndTheVaultAsRegistered() {
    Registered alice = register("Alice");
    Api device = server.client();
    var r = device.post("/api/auth/login", new JsonObject().put("email", alice.api().email()).put("authKey", alice.keys().authKey()));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(alice.api().user(), r.bodyAsJsonObject().getJsonObject("user"));
    JsonObject vault = r.bodyAsJsonObject().getJsonObject("vault");
    assertEquals(alice.body().getJsonObject("vault"), vault);
    // The client unwraps its vault key with the wrap key from the password: the whole point.
    assertArrayEquals(alice.keys().vaultKey(), ClientCrypto.openBytes(ClientCrypto.wrapKey(alice.keys().stretched()),
        ClientCrypto.VAULT_AAD, vault.getJsonObject("wrapped")));
    assertNotNull(r.getHeader("Set-Cookie"));
    var me = device.get("/api/me");
    assertEquals(200, me.statusCode());
    assertEquals(vault, me.bodyAsJsonObject().getJsonObject("vault"));
  }

  @Test
  void aWrongKeyAndAnUnknownEmailGetTheSameAnswerAndTheEleventhFailureIsThrottled() {
    Registered alice = register("Alice");
    String wrongKey = Api.freshKeys().authKey();
    var wrong = server.client().post("/api/auth/login", new JsonObject().put("email", alice.api().email()).put("authKey", wrongKey));
    var unknown = server.client().post("/api/auth/login", new JsonObject().put("email", email("nobody")).put("authKey", wrongKey));
    assertError(wrong, 401, "invalid_credentials", null);
    assertError(unknown, 401, "invalid_credentials", null);
    assertEquals(wrong.bodyAsJsonObject(), unknown.bodyAsJsonObject());
    assertNull(wrong.getHeader("Set-Cookie"));
    for (int i = 2; i <= 10; i++) {
      assertError(server.client().post("/api/auth/login", new JsonObject().put("email", alice.api().email()).put("authKey", wrongKey)),
          401, "invalid_credentials", null);
    }
    var eleventh = server.client().post("/api/auth/login", new JsonObject().put("email", alice.api().email()).put("authKey", wrongKey));
    assertError(eleventh, 429, "rate_limited", null);
    assertNotNull(eleventh.getHeader("Retry-After"));
    assertError(server.client().post("/api/auth/login", alice.api().loginBody()), 429, "rate_limited", null);
  }

  // ---- recovery --------------------------------------------------------------------------------

  @Test
  void recoverStartWithTheRightCodeAnswersTheVaultWrappedForTheRecoveryKey() {
    Registered alice = register("Alice");
    var r = server.client().post("/api/auth/recover/start", new JsonObject().put("email", alice.api().email())
        .put("recoveryAuth", alice.keys().recoveryAuth()));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject recovery = r.bodyAsJsonObject().getJsonObject("vault").getJsonObject("recovery");
    assertEquals(alice.body().getJsonObject("vault").getJsonObject("recovery"), recovery);
    assertFalse(r.bodyAsJsonObject().getJsonObject("vault").containsKey("wrapped"), "only what the code opens");
    assertNull(r.getHeader("Set-Cookie"), "starting a recovery signs no one in");
    // Read back from the code as a person types it: lower case, spaces instead of dashes.
    byte[] code = ClientCrypto.parseRecoveryCode(ClientCrypto.formatRecoveryCode(alice.keys().recoveryCode()).toLowerCase().replace('-', ' '));
    assertArrayEquals(alice.keys().vaultKey(), ClientCrypto.openBytes(ClientCrypto.recoveryKey(code), ClientCrypto.VAULT_AAD, recovery));
  }

  @Test
  void recoverStartWithAWrongCodeIsRefusedLikeAnUnknownEmailAndThrottled() {
    Registered alice = register("Alice");
    String wrong = Api.freshKeys().recoveryAuth();
    var refused = server.client().post("/api/auth/recover/start", new JsonObject().put("email", alice.api().email()).put("recoveryAuth", wrong));
    var unknown = server.client().post("/api/auth/recover/start", new JsonObject().put("email", email("nobody")).put("recoveryAuth", wrong));
    assertError(refused, 401, "invalid_credentials", null);
    assertEquals(refused.bodyAsJsonObject(), unknown.bodyAsJsonObject());
    for (int i = 2; i <= 10; i++) {
      assertError(server.client().post("/api/auth/recover/start", new JsonObject().put("email", alice.api().email()).put("recoveryAuth", wrong)),
          401, "invalid_credentials", null);
    }
    var blocked = server.client().post("/api/auth/recover/start", new JsonObject().put("email", alice.api().email())
        .put("recoveryAuth", alice.keys().recoveryAuth()));
    assertError(blocked, 429, "rate_limited", null);
    assertFalse(blocked.bodyAsString().contains("recovery\""), "even the right code waits");
    assertNotNull(blocked.getHeader("Retry-After"));
    // The window passes and the right code works again.
    server.clock.advance(Duration.ofMinutes(16));
    assertEquals(200, server.client().post("/api/auth/recover/start", new JsonObject().put("email", alice.api().email())
        .put("recoveryAuth", alice.keys().recoveryAuth())).statusCode());
  }

  @Test
  void recoveringSetsANewPasswordAndCodeEndsEveryOtherSessionAndKeepsThePrivateWorkOpen() {
    Registered alice = register("Alice");
    Api laptop = alice.api();
    Api phone = laptop.anotherDevice();
    String reflectionId = UUID.randomUUID().toString();
    JsonObject answers = new JsonObject().put("on-your-mind", "Written before I forgot my password.");
    assertEquals(201, laptop.saveReflection(reflectionId, "free-blank-page", answers, "draft", null).statusCode());
    Keys old = alice.keys();
    Keys fresh = old.withPassword("a brand new password", Api.ITERATIONS);
    String email = laptop.email();

    try (WsClient socket = WsClient.open(phone)) {
      socket.welcomeAndResume();
      Api recovering = server.client();
      JsonObject body = recoveryBody(email, old, fresh);
      var r = recovering.post("/api/auth/recover", body);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(laptop.user(), r.bodyAsJsonObject().getJsonObject("user"));
      assertEquals(body.getJsonObject("vault"), r.bodyAsJsonObject().getJsonObject("vault"));
      assertNotNull(r.getHeader("Set-Cookie"));
      assertEquals(200, recovering.get("/api/me").statusCode(), "the recovering client is signed in");

      assertError(laptop.get("/api/me"), 401, "unauthenticated", null);
      assertError(phone.get("/api/me"), 401, "unauthenticated", null);
      assertEquals((short) 4401, socket.closed().await(), "the other device's socket is closed");

      assertError(server.client().post("/api/auth/login", new JsonObject().put("email", email).put("authKey", old.authKey())),
          401, "invalid_credentials", null);
      var withNew = server.client().post("/api/auth/login", new JsonObject().put("email", email).put("authKey", fresh.authKey()));
      assertEquals(200, withNew.statusCode(), withNew.bodyAsString());
      assertEquals(fresh.kdf().toJson(), kdfOf(server, email), "prelogin answers the new kdf");

      assertError(server.client().post("/api/auth/recover/start", new JsonObject().put("email", email).put("recoveryAuth", old.recoveryAuth())),
          401, "invalid_credentials", null);
      var newCode = server.client().post("/api/auth/recover/start", new JsonObject().put("email", email).put("recoveryAuth", fresh.recoveryAuth()));
      assertEquals(200, newCode.statusCode(), newCode.bodyAsString());

      // The same vault key, so the work written before opens as it did.
      recovering.useKeys(fresh);
      JsonObject vault = withNew.bodyAsJsonObject().getJsonObject("vault");
      assertArrayEquals(old.vaultKey(), ClientCrypto.openBytes(ClientCrypto.wrapKey(fresh.stretched()), ClientCrypto.VAULT_AAD,
          vault.getJsonObject("wrapped")));
      var read = recovering.get("/api/reflections/" + reflectionId);
      assertEquals(200, read.statusCode(), read.bodyAsString());
      assertEquals(answers, recovering.openReflection(read.bodyAsJsonObject()).getJsonObject("answers"));
    }
  }

  @Test
  void recoverWithAWrongCodeChangesNothing() {
    Registered alice = register("Alice");
    Keys old = alice.keys();
    Keys fresh = old.withPassword("another password", Api.ITERATIONS);
    JsonObject body = recoveryBody(alice.api().email(), Api.freshKeys(), fresh);
    assertError(server.client().post("/api/auth/recover", body), 401, "invalid_credentials", null);
    assertEquals(200, alice.api().get("/api/me").statusCode(), "no session ended");
    assertEquals(200, server.client().post("/api/auth/login", alice.api().loginBody()).statusCode());
    assertError(server.client().post("/api/auth/login", new JsonObject().put("email", alice.api().email()).put("authKey", fresh.authKey())),
        401, "invalid_credentials", null);
  }

  // ---- key change ------------------------------------------------------------------------------

  @Test
  void changingThePasswordEndsTheOtherSessionsAndOnlyTheNewKeySignsIn() {
    Registered alice = register("Alice");
    Api deviceA = alice.api();
    Api deviceB = deviceA.anotherDevice();
    Keys old = alice.keys();
    Keys fresh = old.withPassword("a better password", Api.ITERATIONS);

    var wrong = deviceA.put("/api/me/keys", fresh.body().put("currentAuthKey", Api.freshKeys().authKey()));
    assertError(wrong, 401, "invalid_credentials", null);
    assertEquals(200, deviceB.get("/api/me").statusCode(), "a refused change ends nothing");
    assertEquals(old.kdf().toJson(), kdfOf(server, deviceA.email()));

    JsonObject body = fresh.body().put("currentAuthKey", old.authKey());
    var changed = deviceA.put("/api/me/keys", body);
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals(deviceA.user(), changed.bodyAsJsonObject().getJsonObject("user"));
    assertEquals(body.getJsonObject("vault"), changed.bodyAsJsonObject().getJsonObject("vault"));

    assertEquals(200, deviceA.get("/api/me").statusCode(), "the device that changed it stays signed in");
    assertError(deviceB.get("/api/me"), 401, "unauthenticated", null);
    assertError(server.client().post("/api/auth/login", deviceA.loginBody()), 401, "invalid_credentials", null);
    deviceA.useKeys(fresh);
    assertEquals(200, server.client().post("/api/auth/login", deviceA.loginBody()).statusCode());
    assertEquals(fresh.kdf().toJson(), kdfOf(server, deviceA.email()));
    // The new recovery code is the one that works now.
    assertError(server.client().post("/api/auth/recover/start", new JsonObject().put("email", deviceA.email())
        .put("recoveryAuth", old.recoveryAuth())), 401, "invalid_credentials", null);
    assertEquals(200, server.client().post("/api/auth/recover/start", new JsonObject().put("email", deviceA.email())
        .put("recoveryAuth", fresh.recoveryAuth())).statusCode());
  }

  @Test
  void deletingTheAccountNeedsTheRightAuthKey() {
    Registered alice = register("Alice");
    Api api = alice.api();
    assertError(api.delete("/api/me", new JsonObject().put("authKey", Api.freshKeys().authKey())), 401, "invalid_credentials", null);
    assertError(api.delete("/api/me", new JsonObject().put("authKey", "short")), 400, "invalid", "authKey");
    assertEquals(200, api.get("/api/me").statusCode());
    assertEquals(204, api.delete("/api/me", new JsonObject().put("authKey", alice.keys().authKey())).statusCode());
    assertEquals(0L, server.mongo().count("users", new JsonObject().put("emailKey", api.email().toLowerCase())).await());
  }

  // ---- session key -----------------------------------------------------------------------------

  @Test
  void theSessionKeyIsStableWithinASessionDiffersBetweenSessionsAndIsNeverStored() {
    Registered alice = register("Alice");
    Api laptop = alice.api();
    Api phone = laptop.anotherDevice();
    String key = sessionKey(laptop);
    assertEquals(32, ClientCrypto.unb64(key).length);
    assertEquals(key, sessionKey(laptop), "the same for every call in one session");
    String other = sessionKey(phone);
    assertNotEquals(key, other, "another session, another key");
    assertError(server.client().get("/api/me/session-key"), 401, "unauthenticated", null);

    String dump = server.dumpDatabase();
    byte[] raw = ClientCrypto.unb64(key);
    for (String form : List.of(key, java.util.Base64.getEncoder().encodeToString(raw), HexFormat.of().formatHex(raw), other)) {
      assertFalse(dump.contains(form), "the session key is derived, not stored: " + form);
    }
    // The cookie secret it comes from is not stored either (only its hash).
    String cookie = laptop.cookieHeader().substring("bw_session=".length());
    assertFalse(dump.contains(cookie), "the session cookie is stored only as a hash");

    // What the web app keeps in sessionStorage opens only with this session's key.
    JsonObject blob = ClientCrypto.sealBytes(ClientCrypto.unb64(key), ClientCrypto.SESSION_AAD, alice.keys().vaultKey());
    assertArrayEquals(alice.keys().vaultKey(), ClientCrypto.openBytes(ClientCrypto.unb64(sessionKey(laptop)), ClientCrypto.SESSION_AAD, blob));

    assertEquals(204, laptop.post("/api/auth/logout", null).statusCode());
    assertError(laptop.get("/api/me/session-key"), 401, "unauthenticated", null);
    Api again = laptop.anotherDevice();
    assertNotEquals(key, sessionKey(again), "a new sign-in, a new key: the old blob is useless");
  }

  static String sessionKey(Api api) {
    var r = api.get("/api/me/session-key");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    return r.bodyAsJsonObject().getString("sessionKey");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  static void collectStrings(Object value, List<String> out) {
    if (value instanceof String s) out.add(s);
    if (value instanceof JsonObject o) o.forEach(e -> collectStrings(e.getValue(), out));
    if (value instanceof io.vertx.core.json.JsonArray a) a.forEach(v -> collectStrings(v, out));
  }

  /** The first object in {@code doc} (at any depth) that has {@code field}. */
  static JsonObject findObjectWith(JsonObject doc, String field) {
    if (doc.containsKey(field)) return doc;
    for (var e : doc) {
      if (e.getValue() instanceof JsonObject o) {
        JsonObject found = findObjectWith(o, field);
        if (found != null) return found;
      }
    }
    return null;
  }
}
