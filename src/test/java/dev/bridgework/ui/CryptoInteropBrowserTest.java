package dev.bridgework.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ClientCrypto.Kdf;
import dev.bridgework.testing.ClientCrypto.Keys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bridgework.testing.ClientCrypto.b64;
import static dev.bridgework.testing.ClientCrypto.unb64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code webroot/js/crypto.js} in real Chromium (WebCrypto) against the fixed vectors and against
 * ClientCrypto: the same bytes for every step, envelopes sealed on one side open on the other, and
 * changed or moved envelopes fail as an EnvelopeError. The page is an empty document on the test
 * server's origin (http://localhost is a secure context) that only imports crypto.js, so nothing
 * here depends on the app or the account API.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class CryptoInteropBrowserTest extends BrowserTestSupport {
  private static final JsonObject VECTORS = loadVectors();
  private static final String BLANK = "/crypto-interop-test.html";
  private BrowserContext context;
  private Page page;
  private final List<String> problems = new ArrayList<>();

  private static JsonObject loadVectors() {
    try (InputStream in = CryptoInteropBrowserTest.class.getResourceAsStream("/crypto-vectors.json")) {
      if (in == null) throw new IllegalStateException("crypto-vectors.json is missing from the test resources");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void openBlankPageOnTheServersOrigin() {
    context = browser.newContext(server.origin(), Person.DESKTOP_W, Person.DESKTOP_H);
    page = context.newPage();
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type())) problems.add(m.text());
    });
    page.onPageError(problems::add);
    // Only this one document is made up here; /js/crypto.js comes from the real server.
    page.route(server.origin() + BLANK, route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
        .setContentType("text/html; charset=utf-8").setBody("<!doctype html><html lang=\"en\"><title>crypto</title></html>")));
    page.navigate(BLANK);
    assertEquals(Boolean.TRUE, page.evaluate("() => window.isSecureContext"));
  }

  @AfterEach
  void close() {
    context.close();
    assertEquals(List.of(), problems, "the page logged errors");
  }

  /** Runs {@code body} (the inside of an async function with {@code c} = crypto.js and {@code arg}) and returns what it returns, as JSON. */
  private JsonObject run(String body, JsonObject arg) {
    String fn = "async (argText) => { const c = await import('/js/crypto.js'); const arg = JSON.parse(argText);\n"
        + JS_HELPERS + body + "\n}";
    Object result = page.evaluate(fn, arg.encode());
    return new JsonObject((String) result);
  }

  /** Small helpers for the scripts: errors as data, bytes from/to text. */
  private static final String JS_HELPERS = """
      const enc = (s) => new TextEncoder().encode(s);
      const dec = (b) => new TextDecoder().decode(b);
      const failure = async (f) => {
        try { await f(); return { thrown: false }; }
        catch (e) { return { thrown: true, name: e.name, isEnvelopeError: e instanceof c.EnvelopeError, message: e.message }; }
      };
      """;

  @Test
  void cryptoJsExportsTheAgreedFunctionsAndTouchesNoStorage() throws IOException {
    JsonObject r = run("""
        return JSON.stringify({ exports: Object.keys(c).sort(), local: localStorage.length, session: sessionStorage.length });
        """, new JsonObject());
    assertEquals(new JsonArray(List.of("EnvelopeError", "SESSION_AAD", "VAULT_AAD", "authKey", "b64u", "formatRecoveryCode",
        "hkdf", "makeAccountKeys", "newKdf", "openBytes", "openJson", "parseRecoveryCode", "randomBytes", "recoveryAuth",
        "recoveryKeyBytes", "rewrapForPassword", "sealBytes", "sealJson", "stretch", "unb64u", "unlockWithPassword",
        "unlockWithRecoveryCode", "wrapKeyBytes")), r.getJsonArray("exports"));
    assertEquals(0, r.getInteger("local"));
    assertEquals(0, r.getInteger("session"));
    String source = Files.readString(Path.of("webroot/js/crypto.js"), StandardCharsets.UTF_8);
    for (String storage : List.of("localStorage", "sessionStorage", "indexedDB", "document.cookie")) {
      assertFalse(source.contains(storage), "crypto.js mentions " + storage);
    }
  }

  @Test
  void everyVectorIsReproducedInChromium() {
    JsonObject small = VECTORS.getJsonArray("accounts").getJsonObject(0);
    assertEquals("small", small.getString("name"));
    assertTrue(small.getBoolean("inBrowser"));
    JsonObject r = run("""
        const a = arg.accounts[0];
        const h = arg.anchors;
        const stretched = await c.stretch(a.password, a.kdf);
        const wrapKey = await c.wrapKeyBytes(stretched);
        const code = c.unb64u(a.recoveryCode);
        const recoveryKey = await c.recoveryKeyBytes(code);
        const vaultKey = c.unb64u(a.vaultKey);
        const e = arg.envelopes[0];
        const reflectionKey = c.unb64u(e.key);
        const unlocked = await c.unlockWithPassword(a.password, a.kdf, a.vault);
        return JSON.stringify({
          anchorHkdf: c.b64u(await c.hkdf(c.unb64u(h.hkdf.ikm), h.hkdf.info)),
          anchorPbkdf2: c.b64u(await c.stretch(h.pbkdf2.password, h.pbkdf2.kdf)),
          stretched: c.b64u(stretched),
          stretchedNfc: c.b64u(await c.stretch(a.passwordNfc, a.kdf)),
          authKey: await c.authKey(stretched),
          wrapKey: c.b64u(wrapKey),
          recoveryKey: c.b64u(recoveryKey),
          recoveryAuth: await c.recoveryAuth(code),
          recoveryCodeText: c.formatRecoveryCode(code),
          parsedCode: c.b64u(c.parseRecoveryCode(' ' + a.recoveryCodeText.toLowerCase().replace(/-/g, ' - ') + '\\n')),
          wrapped: await c.sealBytes(wrapKey, arg.vaultAad, vaultKey, c.unb64u(a.vault.wrapped.iv)),
          recovery: await c.sealBytes(recoveryKey, arg.vaultAad, vaultKey, c.unb64u(a.vault.recovery.iv)),
          openedWrapped: c.b64u(await c.openBytes(wrapKey, arg.vaultAad, a.vault.wrapped)),
          openedRecovery: c.b64u(await c.openBytes(recoveryKey, arg.vaultAad, a.vault.recovery)),
          unlockedAuthKey: unlocked.authKey,
          unlockedVaultKey: c.b64u(unlocked.vaultKey),
          recoveredVaultKey: c.b64u(await c.unlockWithRecoveryCode(c.parseRecoveryCode(a.recoveryCodeText), a.vault.recovery)),
          reflection: await c.sealBytes(reflectionKey, e.aad, enc(e.plaintext), c.unb64u(e.envelope.iv)),
          reflectionOpened: dec(await c.openBytes(reflectionKey, e.aad, e.envelope)),
          reflectionOpenedJson: JSON.stringify(await c.openJson(reflectionKey, e.aad, e.envelope)),
        });
        """, VECTORS);
    JsonObject anchors = VECTORS.getJsonObject("anchors");
    assertEquals(anchors.getJsonObject("hkdf").getString("okm"), r.getString("anchorHkdf"));
    assertEquals(anchors.getJsonObject("pbkdf2").getString("stretched"), r.getString("anchorPbkdf2"));
    assertEquals(small.getString("stretched"), r.getString("stretched"));
    assertEquals(small.getString("stretched"), r.getString("stretchedNfc"));
    assertEquals(small.getString("authKey"), r.getString("authKey"));
    assertEquals(small.getString("wrapKey"), r.getString("wrapKey"));
    assertEquals(small.getString("recoveryKey"), r.getString("recoveryKey"));
    assertEquals(small.getString("recoveryAuth"), r.getString("recoveryAuth"));
    assertEquals(small.getString("recoveryCodeText"), r.getString("recoveryCodeText"));
    assertEquals(small.getString("recoveryCode"), r.getString("parsedCode"));
    assertEquals(small.getJsonObject("vault").getJsonObject("wrapped"), r.getJsonObject("wrapped"));
    assertEquals(small.getJsonObject("vault").getJsonObject("recovery"), r.getJsonObject("recovery"));
    assertEquals(small.getString("vaultKey"), r.getString("openedWrapped"));
    assertEquals(small.getString("vaultKey"), r.getString("openedRecovery"));
    assertEquals(small.getString("authKey"), r.getString("unlockedAuthKey"));
    assertEquals(small.getString("vaultKey"), r.getString("unlockedVaultKey"));
    assertEquals(small.getString("vaultKey"), r.getString("recoveredVaultKey"));
    JsonObject reflection = VECTORS.getJsonArray("envelopes").getJsonObject(0);
    assertEquals(reflection.getJsonObject("envelope"), r.getJsonObject("reflection"));
    assertEquals(reflection.getString("plaintext"), r.getString("reflectionOpened"));
    // JSON.stringify of the opened object gives back the exact plaintext: what sealJson would seal.
    assertEquals(reflection.getString("plaintext"), r.getString("reflectionOpenedJson"));
  }

  @Test
  void whatChromiumSealsJavaOpens() {
    String password = "Cafe\u0301 at noon \uD83C\uDF19";
    String reflectionId = UUID.randomUUID().toString();
    JsonObject content = new JsonObject().put("answers", new JsonObject()
        .put("what-happened", "Tea went cold \u2014 \u201Cagain\u201D, \u00FCber m\u00FCde").put("how-strong", 7)
        .put("what-you-felt", new JsonArray().add("lonely").add("hurt")));
    JsonObject r = run("""
        const made = await c.makeAccountKeys(arg.password, 1000);
        const again = await c.rewrapForPassword('a new password \u00e9', 1000, made.vaultKey);
        const aad = 'reflection/' + arg.reflectionId;
        return JSON.stringify({
          kdf: made.kdf, authKey: made.authKey, vaultKey: c.b64u(made.vaultKey),
          recoveryCode: c.b64u(made.recoveryCode), recoveryCodeText: made.recoveryCodeText,
          vault: made.vault, recoveryAuth: made.recoveryAuth,
          again: { kdf: again.kdf, authKey: again.authKey, vault: again.vault, recoveryAuth: again.recoveryAuth,
                   recoveryCode: c.b64u(again.recoveryCode), recoveryCodeText: again.recoveryCodeText,
                   hasVaultKey: 'vaultKey' in again },
          reflection: await c.sealJson(made.vaultKey, aad, arg.content),
          raw: await c.sealBytes(made.vaultKey, 'part/' + arg.reflectionId, enc('a part \u00e9')),
          freshKdf: c.newKdf(600000),
        });
        """, new JsonObject().put("password", password).put("reflectionId", reflectionId).put("content", content));

    Kdf kdf = Kdf.fromJson(r.getJsonObject("kdf"));
    assertEquals(new JsonObject().put("alg", "PBKDF2-SHA256").put("iterations", 1000).put("salt", kdf.salt()), r.getJsonObject("kdf"));
    assertEquals(16, unb64(kdf.salt()).length);
    byte[] vaultKey = unb64(r.getString("vaultKey"));
    byte[] code = unb64(r.getString("recoveryCode"));
    assertEquals(32, vaultKey.length);
    assertEquals(16, code.length);
    Keys keys = new Keys(password, kdf, vaultKey, code);
    assertEquals(keys.authKey(), r.getString("authKey"));
    assertEquals(keys.recoveryAuth(), r.getString("recoveryAuth"));
    assertEquals(ClientCrypto.formatRecoveryCode(code), r.getString("recoveryCodeText"));
    byte[] stretched = ClientCrypto.stretch(password, kdf);
    JsonObject vault = r.getJsonObject("vault");
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(ClientCrypto.wrapKey(stretched), ClientCrypto.VAULT_AAD, vault.getJsonObject("wrapped")));
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(ClientCrypto.recoveryKey(code), ClientCrypto.VAULT_AAD, vault.getJsonObject("recovery")));
    assertEquals(content, keys.open("reflection", reflectionId, r.getJsonObject("reflection")));
    assertEquals("a part \u00e9", new String(ClientCrypto.openBytes(vaultKey, "part/" + reflectionId, r.getJsonObject("raw")), StandardCharsets.UTF_8));

    // The re-wrap: a new salt and a new code around the same vault key, which it does not hand back.
    JsonObject again = r.getJsonObject("again");
    assertFalse(again.getBoolean("hasVaultKey"));
    Kdf newKdf = Kdf.fromJson(again.getJsonObject("kdf"));
    assertNotEquals(kdf.salt(), newKdf.salt());
    assertNotEquals(r.getString("recoveryCode"), again.getString("recoveryCode"));
    Keys rewrapped = new Keys("a new password \u00e9", newKdf, vaultKey, unb64(again.getString("recoveryCode")));
    assertEquals(rewrapped.authKey(), again.getString("authKey"));
    assertEquals(rewrapped.recoveryAuth(), again.getString("recoveryAuth"));
    assertEquals(ClientCrypto.formatRecoveryCode(unb64(again.getString("recoveryCode"))), again.getString("recoveryCodeText"));
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(ClientCrypto.wrapKey(rewrapped.stretched()), ClientCrypto.VAULT_AAD,
        again.getJsonObject("vault").getJsonObject("wrapped")));
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(ClientCrypto.recoveryKey(unb64(again.getString("recoveryCode"))),
        ClientCrypto.VAULT_AAD, again.getJsonObject("vault").getJsonObject("recovery")));

    JsonObject fresh = r.getJsonObject("freshKdf");
    assertEquals("PBKDF2-SHA256", fresh.getString("alg"));
    assertEquals(600_000, fresh.getInteger("iterations"));
    assertEquals(16, unb64(fresh.getString("salt")).length);
  }

  @Test
  void whatJavaSealsChromiumOpens() {
    String password = "Cafe\u0301 at noon \uD83C\uDF19";
    Keys keys = Keys.fresh(password, 1000);
    String id = UUID.randomUUID().toString();
    JsonObject content = new JsonObject().put("emotions", new JsonArray().add("tender").add("\u00E9mu")).put("intensity", 6)
        .put("note", "Calmer after the walk \uD83C\uDF19");
    JsonObject arg = keys.body().put("password", password).put("id", id)
        .put("recoveryCodeText", ClientCrypto.formatRecoveryCode(keys.recoveryCode()))
        .put("checkin", keys.seal("checkin", id, content));
    JsonObject r = run("""
        const unlocked = await c.unlockWithPassword(arg.password, arg.kdf, arg.vault);
        const recovered = await c.unlockWithRecoveryCode(c.parseRecoveryCode(arg.recoveryCodeText.toLowerCase()), arg.vault.recovery);
        return JSON.stringify({
          authKey: unlocked.authKey,
          vaultKey: c.b64u(unlocked.vaultKey),
          recovered: c.b64u(recovered),
          recoveryAuth: await c.recoveryAuth(c.parseRecoveryCode(arg.recoveryCodeText)),
          checkin: await c.openJson(unlocked.vaultKey, 'checkin/' + arg.id, arg.checkin),
        });
        """, arg);
    assertEquals(keys.authKey(), r.getString("authKey"));
    assertEquals(b64(keys.vaultKey()), r.getString("vaultKey"));
    assertEquals(b64(keys.vaultKey()), r.getString("recovered"));
    assertEquals(keys.recoveryAuth(), r.getString("recoveryAuth"));
    assertEquals(content, r.getJsonObject("checkin"));
  }

  @Test
  void changedMovedOrForeignEnvelopesFailAsEnvelopeErrors() {
    JsonObject r = run("""
        const e = arg.envelopes[0];
        const key = c.unb64u(e.key);
        const flip = (text, index) => { const b = c.unb64u(text); b[index] ^= 1; return c.b64u(b); };
        const ctLength = c.unb64u(e.envelope.ct).length;
        const otherKey = c.unb64u(e.key); otherKey[31] ^= 1;
        const id = e.aad.substring('reflection/'.length);
        return JSON.stringify({
          flippedFirstCtBit: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, ct: flip(e.envelope.ct, 0) })),
          flippedTagBit: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, ct: flip(e.envelope.ct, ctLength - 1) })),
          flippedIvBit: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, iv: flip(e.envelope.iv, 5) })),
          flippedJson: await failure(() => c.openJson(key, e.aad, { ...e.envelope, ct: flip(e.envelope.ct, 3) })),
          movedToPart: await failure(() => c.openJson(key, 'part/' + id, e.envelope)),
          movedToOtherReflection: await failure(() => c.openBytes(key, 'reflection/' + arg.otherId, e.envelope)),
          wrongKey: await failure(() => c.openBytes(otherKey, e.aad, e.envelope)),
          vaultUnderOtherPassword: await failure(() => c.unlockWithPassword('another password', arg.accounts[0].kdf, arg.accounts[0].vault)),
          recoveryUnderOtherCode: await failure(() => c.unlockWithRecoveryCode(new Uint8Array(16), arg.accounts[0].vault.recovery)),
          versionTwo: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, v: 2 })),
          noIv: await failure(() => c.openBytes(key, e.aad, { v: 1, ct: e.envelope.ct })),
          longIv: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, iv: c.b64u(new Uint8Array(16)) })),
          notBase64: await failure(() => c.openBytes(key, e.aad, { ...e.envelope, ct: 'not base64!' })),
          nothing: await failure(() => c.openBytes(key, e.aad, null)),
          stillOpens: dec(await c.openBytes(key, e.aad, e.envelope)) === e.plaintext,
        });
        """, VECTORS.copy().put("otherId", UUID.randomUUID().toString()));
    assertTrue(r.getBoolean("stillOpens"));
    String aad = VECTORS.getJsonArray("envelopes").getJsonObject(0).getString("aad");
    String id = aad.substring("reflection/".length());
    String doesNotOpen = "wrong key, changed bytes, or it belongs to another item.";
    assertEnvelopeError(r, "flippedFirstCtBit", "The envelope does not open for \"" + aad + "\": " + doesNotOpen);
    assertEnvelopeError(r, "flippedTagBit", "The envelope does not open for \"" + aad + "\": " + doesNotOpen);
    assertEnvelopeError(r, "flippedIvBit", "The envelope does not open for \"" + aad + "\": " + doesNotOpen);
    assertEnvelopeError(r, "flippedJson", "The envelope does not open for \"" + aad + "\": " + doesNotOpen);
    assertEnvelopeError(r, "movedToPart", "The envelope does not open for \"part/" + id + "\": " + doesNotOpen);
    assertEnvelopeError(r, "wrongKey", "The envelope does not open for \"" + aad + "\": " + doesNotOpen);
    assertEnvelopeError(r, "vaultUnderOtherPassword", "The envelope does not open for \"bridgework/vault/v1\": " + doesNotOpen);
    assertEnvelopeError(r, "recoveryUnderOtherCode", "The envelope does not open for \"bridgework/vault/v1\": " + doesNotOpen);
    assertTrue(r.getJsonObject("movedToOtherReflection").getBoolean("isEnvelopeError"));
    assertEnvelopeError(r, "versionTwo", "This is not a sealed envelope (expected {v:1, iv, ct}).");
    assertEnvelopeError(r, "noIv", "This is not a sealed envelope (expected {v:1, iv, ct}).");
    assertEnvelopeError(r, "nothing", "This is not a sealed envelope (expected {v:1, iv, ct}).");
    assertEnvelopeError(r, "longIv", "The envelope is damaged: its iv is not 12 bytes.");
    assertEnvelopeError(r, "notBase64", "The envelope is damaged: its iv or ct is not base64url.");
  }

  private static void assertEnvelopeError(JsonObject results, String key, String message) {
    assertEquals(new JsonObject().put("thrown", true).put("name", "EnvelopeError").put("isEnvelopeError", true).put("message", message),
        results.getJsonObject(key), key);
  }

  @Test
  void badRecoveryCodesAndBadBase64AreRefusedInPlainWords() {
    JsonObject r = run("""
        const text = arg.accounts[0].recoveryCodeText;
        return JSON.stringify({
          short: await failure(() => c.parseRecoveryCode(text.slice(0, -1))),
          long: await failure(() => c.parseRecoveryCode(text + 'A')),
          digitOne: await failure(() => c.parseRecoveryCode(text.replace('2', '1'))),
          dotlessI: await failure(() => c.parseRecoveryCode(text.replace('O', '\\u0131'))),
          lastBits: await failure(() => c.parseRecoveryCode(text.replace(/A$/, 'B'))),
          lastBitsOk: c.b64u(c.parseRecoveryCode(text.replace(/A$/, 'E'))).length,
          noBreakSpaces: c.b64u(c.parseRecoveryCode(text.replace(/-/g, '\\u00a0'))),
          padded: await failure(() => c.unb64u('YQ==')),
          plusSlash: await failure(() => c.unb64u('a+/b')),
          impossibleLength: await failure(() => c.unb64u('abcde')),
          roundTrip: c.b64u(c.unb64u('_-8')) === '_-8' && c.b64u(new Uint8Array([251, 255])) === '-_8',
        });
        """, VECTORS);
    assertEquals(error("A recovery code has 26 letters and digits; this one has 25. Please check it and try again."), r.getJsonObject("short"));
    assertEquals(error("A recovery code has 26 letters and digits; this one has 27. Please check it and try again."), r.getJsonObject("long"));
    assertEquals(error("\"1\" is not part of a recovery code, which uses only the letters A to Z and the digits 2 to 7."), r.getJsonObject("digitOne"));
    assertEquals(error("\"\u0131\" is not part of a recovery code, which uses only the letters A to Z and the digits 2 to 7."), r.getJsonObject("dotlessI"));
    assertEquals(error("That is not a recovery code this app made: its last character is not right. Please check it and try again."),
        r.getJsonObject("lastBits"));
    assertEquals(22, r.getInteger("lastBitsOk"));
    assertEquals(VECTORS.getJsonArray("accounts").getJsonObject(0).getString("recoveryCode"), r.getString("noBreakSpaces"));
    assertEquals(error("not base64url text"), r.getJsonObject("padded"));
    assertEquals(error("not base64url text"), r.getJsonObject("plusSlash"));
    assertEquals(error("not base64url text"), r.getJsonObject("impossibleLength"));
    assertTrue(r.getBoolean("roundTrip"));
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("thrown", true).put("name", "Error").put("isEnvelopeError", false).put("message", message);
  }
}
