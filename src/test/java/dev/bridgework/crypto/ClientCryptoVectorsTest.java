package dev.bridgework.crypto;

import dev.bridgework.testing.ClientCrypto;
import dev.bridgework.testing.ClientCrypto.Kdf;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static dev.bridgework.testing.ClientCrypto.b64;
import static dev.bridgework.testing.ClientCrypto.unb64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ClientCrypto reproduces every value of {@code crypto-vectors.json}, which was made without it
 * (Python hashlib, hmac, cryptography), and refuses envelopes that were changed, moved or sealed
 * under another key. The same file pins {@code crypto.js} in CryptoInteropBrowserTest.
 */
class ClientCryptoVectorsTest {
  static final JsonObject VECTORS = load();

  static JsonObject load() {
    try (InputStream in = ClientCryptoVectorsTest.class.getResourceAsStream("/crypto-vectors.json")) {
      if (in == null) throw new IllegalStateException("crypto-vectors.json is missing from the test resources");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonObject> accounts() {
    return VECTORS.getJsonArray("accounts").stream().map(JsonObject.class::cast).toList();
  }

  static JsonObject account(String name) {
    return accounts().stream().filter(a -> a.getString("name").equals(name)).findFirst().orElseThrow();
  }

  static JsonObject reflection() {
    return VECTORS.getJsonArray("envelopes").getJsonObject(0);
  }

  @Test
  void publishedAnchorsHold() {
    JsonObject hkdf = VECTORS.getJsonObject("anchors").getJsonObject("hkdf");
    assertEquals(hkdf.getString("okm"), b64(ClientCrypto.hkdf(unb64(hkdf.getString("ikm")), hkdf.getString("info"))));
    JsonObject pbkdf2 = VECTORS.getJsonObject("anchors").getJsonObject("pbkdf2");
    assertEquals(pbkdf2.getString("stretched"),
        b64(ClientCrypto.stretch(pbkdf2.getString("password"), Kdf.fromJson(pbkdf2.getJsonObject("kdf")))));
  }

  @Test
  void theSmallAccountIsReproducedValueByValue() {
    checkAccount(account("small"));
  }

  /** The production iteration count, checked here only: in the browser it would take seconds. */
  @Test
  void theOwaspAccountIsReproducedValueByValue() {
    JsonObject owasp = account("owasp");
    assertEquals(600_000, owasp.getJsonObject("kdf").getInteger("iterations"));
    checkAccount(owasp);
  }

  private static void checkAccount(JsonObject v) {
    String password = v.getString("password");
    // The file gives the password decomposed (e + combining acute), so NFC has something to do.
    assertNotEquals(v.getString("passwordNfc"), password);
    Kdf kdf = Kdf.fromJson(v.getJsonObject("kdf"));
    byte[] stretched = ClientCrypto.stretch(password, kdf);
    assertEquals(v.getString("stretched"), b64(stretched));
    assertEquals(v.getString("stretched"), b64(ClientCrypto.stretch(v.getString("passwordNfc"), kdf)));
    assertEquals(v.getString("authKey"), ClientCrypto.authKey(stretched));
    byte[] wrapKey = ClientCrypto.wrapKey(stretched);
    assertEquals(v.getString("wrapKey"), b64(wrapKey));

    byte[] code = unb64(v.getString("recoveryCode"));
    assertEquals(v.getString("recoveryCodeText"), ClientCrypto.formatRecoveryCode(code));
    assertArrayEquals(code, ClientCrypto.parseRecoveryCode(v.getString("recoveryCodeText")));
    byte[] recoveryKey = ClientCrypto.recoveryKey(code);
    assertEquals(v.getString("recoveryKey"), b64(recoveryKey));
    assertEquals(v.getString("recoveryAuth"), ClientCrypto.recoveryAuth(code));

    byte[] vaultKey = unb64(v.getString("vaultKey"));
    JsonObject wrapped = v.getJsonObject("vault").getJsonObject("wrapped");
    JsonObject recovery = v.getJsonObject("vault").getJsonObject("recovery");
    assertEquals(wrapped, ClientCrypto.sealBytes(wrapKey, ClientCrypto.VAULT_AAD, vaultKey, unb64(wrapped.getString("iv"))));
    assertEquals(recovery, ClientCrypto.sealBytes(recoveryKey, ClientCrypto.VAULT_AAD, vaultKey, unb64(recovery.getString("iv"))));
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(wrapKey, ClientCrypto.VAULT_AAD, wrapped));
    assertArrayEquals(vaultKey, ClientCrypto.openBytes(recoveryKey, ClientCrypto.VAULT_AAD, recovery));
    assertEquals(ClientCrypto.VAULT_AAD, VECTORS.getString("vaultAad"));
  }

  @Test
  void theReflectionEnvelopeIsReproducedAndOpens() {
    JsonObject r = reflection();
    byte[] key = unb64(r.getString("key"));
    String aad = r.getString("aad");
    JsonObject envelope = r.getJsonObject("envelope");
    byte[] plaintext = r.getString("plaintext").getBytes(StandardCharsets.UTF_8);
    assertEquals(account("small").getString("vaultKey"), r.getString("key"));
    assertEquals(envelope, ClientCrypto.sealBytes(key, aad, plaintext, unb64(envelope.getString("iv"))));
    assertEquals(r.getString("plaintext"), new String(ClientCrypto.openBytes(key, aad, envelope), StandardCharsets.UTF_8));
    // The plaintext is compact JSON in key order, so sealing the parsed object gives the same bytes.
    assertEquals(new JsonObject(r.getString("plaintext")), ClientCrypto.open(key, aad, envelope));
    assertEquals(r.getString("plaintext"), new JsonObject(r.getString("plaintext")).encode());
  }

  @Test
  void anEnvelopeWithAnyFlippedBitDoesNotOpen() {
    JsonObject r = reflection();
    byte[] key = unb64(r.getString("key"));
    JsonObject envelope = r.getJsonObject("envelope");
    byte[] ct = unb64(envelope.getString("ct"));
    // Every bit of the ciphertext and the tag, and every bit of the iv.
    for (int bit = 0; bit < ct.length * 8; bit++) {
      byte[] changed = ct.clone();
      changed[bit / 8] ^= (byte) (1 << (bit % 8));
      JsonObject broken = envelope.copy().put("ct", b64(changed));
      assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(key, r.getString("aad"), broken), "ct bit " + bit);
    }
    byte[] iv = unb64(envelope.getString("iv"));
    for (int bit = 0; bit < iv.length * 8; bit++) {
      byte[] changed = iv.clone();
      changed[bit / 8] ^= (byte) (1 << (bit % 8));
      JsonObject broken = envelope.copy().put("iv", b64(changed));
      assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(key, r.getString("aad"), broken), "iv bit " + bit);
    }
  }

  @Test
  void anEnvelopeMovedToAnotherItemOrUnderAnotherKeyDoesNotOpen() {
    JsonObject r = reflection();
    byte[] key = unb64(r.getString("key"));
    JsonObject envelope = r.getJsonObject("envelope");
    String id = r.getString("aad").substring("reflection/".length());
    for (String aad : List.of("part/" + id, "checkin/" + id, "kept/" + id, "reflection/" + id.replace('6', '7'),
        "reflection/" + id.toUpperCase(Locale.ROOT), ClientCrypto.VAULT_AAD, "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(key, aad, envelope), aad);
      assertEquals("the envelope does not open", e.getMessage());
    }
    byte[] otherKey = key.clone();
    otherKey[31] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(otherKey, r.getString("aad"), envelope));
    // The vault of one account does not open with the other account's keys.
    JsonObject small = account("small");
    JsonObject owasp = account("owasp");
    assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(unb64(owasp.getString("wrapKey")),
        ClientCrypto.VAULT_AAD, small.getJsonObject("vault").getJsonObject("wrapped")));
  }

  @Test
  void somethingThatIsNotAnEnvelopeIsRefusedAsSuch() {
    JsonObject r = reflection();
    byte[] key = unb64(r.getString("key"));
    String aad = r.getString("aad");
    JsonObject envelope = r.getJsonObject("envelope");
    for (JsonObject bad : List.of(envelope.copy().put("v", 2), envelope.copy().put("v", "1"), envelope.copy().putNull("iv"),
        envelope.copy().put("iv", b64(new byte[16])), envelope.copy().put("ct", 7), envelope.copy().put("ct", "***"),
        new JsonObject())) {
      assertThrows(IllegalArgumentException.class, () -> ClientCrypto.openBytes(key, aad, bad), bad.encode());
    }
  }

  @Test
  void aFreshSealHasAFreshIvAndOpens() {
    byte[] key = unb64(reflection().getString("key"));
    JsonObject content = new JsonObject().put("name", "The Worrier");
    JsonObject one = ClientCrypto.seal(key, "part/a", content);
    JsonObject two = ClientCrypto.seal(key, "part/a", content);
    assertNotEquals(one.getString("iv"), two.getString("iv"));
    assertEquals(12, unb64(one.getString("iv")).length);
    // 27 bytes of JSON plus the 16-byte tag.
    assertEquals(content.encode().length() + 16, unb64(one.getString("ct")).length);
    assertEquals(content, ClientCrypto.open(key, "part/a", two));
  }

  @Test
  void aRecoveryCodeReadsBackIgnoringCaseSpacesAndDashes() {
    JsonObject small = account("small");
    byte[] code = unb64(small.getString("recoveryCode"));
    String text = small.getString("recoveryCodeText");
    assertEquals("2OY7B-YT4LJ-EYNIO-C4P2A-KFRHH-A", text);
    for (String typed : List.of(text.toLowerCase(Locale.ROOT), text.replace("-", ""), text.replace("-", " "),
        " 2oy7b yt4lj-eynio  c4p2a-kfrhh a \n", "2OY7B\u00a0YT4LJ\u00a0EYNIO\u00a0C4P2A\u00a0KFRHH\u00a0A", "2-O-Y-7-B-yt4ljeyniOC4P2AKFRHHa")) {
      assertArrayEquals(code, ClientCrypto.parseRecoveryCode(typed), typed);
    }
    // Round trips for codes that use every alphabet position and both extremes.
    byte[] zeros = new byte[16];
    byte[] ones = new byte[16];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertEquals("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A", ClientCrypto.formatRecoveryCode(zeros));
    assertEquals("77777-77777-77777-77777-77777-4", ClientCrypto.formatRecoveryCode(ones));
    for (int i = 0; i < 200; i++) {
      byte[] random = ClientCrypto.random(16);
      String formatted = ClientCrypto.formatRecoveryCode(random);
      assertEquals(31, formatted.length());
      assertArrayEquals(random, ClientCrypto.parseRecoveryCode(formatted.toLowerCase(Locale.ROOT)));
    }
  }

  @Test
  void aRecoveryCodeReadsBackTheSameInATurkishLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertArrayEquals(unb64(account("small").getString("recoveryCode")), ClientCrypto.parseRecoveryCode("2oy7b-yt4lj-eynio-c4p2a-kfrhh-a"));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void invalidRecoveryCodesAreRefused() {
    String text = account("small").getString("recoveryCodeText");
    List<String> bad = List.of(
        "",
        text.substring(0, text.length() - 1), // 25 characters
        text + "A", // 27 characters
        text.replace('2', '1'), // 1 is not in the alphabet
        text.replace('O', '0'), // nor is 0
        text.replace("-A", "-B"), // the last 2 bits must be zero: B is 00001
        text.replace("-A", "-D"), // D is 00011
        text.replace("2OY7B", "2\u0131Y7B"), // dotless i is not I
        text.replace('Y', '\u0178'), // a Y with diaeresis is not Y
        text.replace("-", "_"));
    for (String typed : bad) {
      assertThrows(IllegalArgumentException.class, () -> ClientCrypto.parseRecoveryCode(typed), typed);
    }
    // A final character whose low 2 bits are zero is fine: E is 00100.
    assertEquals(16, ClientCrypto.parseRecoveryCode(text.replace("-A", "-E")).length);
  }
}
