#!/usr/bin/env python3
"""Writes src/test/resources/crypto-vectors.json from fixed inputs.

Independent of both the Java test client (ClientCrypto) and webroot/js/crypto.js:
PBKDF2 from hashlib.pbkdf2_hmac, HKDF written out here from RFC 5869 with hmac and
checked against the `cryptography` package's HKDF, base32 from base64.b32encode,
AES-256-GCM from `cryptography` (OpenSSL). The Java and browser tests then only
compare against these bytes. Run from the repository root:
    python3 src/test/vectors/make-crypto-vectors.py
"""
import base64, hashlib, hmac, json, unicodedata
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def hkdf(ikm, info):
    # RFC 5869 with an empty salt: HMAC keyed with HashLen zero bytes; one block of 32 bytes.
    prk = hmac.new(bytes(32), ikm, hashlib.sha256).digest()
    okm = hmac.new(prk, info.encode() + b"\x01", hashlib.sha256).digest()
    other = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info.encode()).derive(ikm)
    assert okm == other, info
    return okm

def stretch(password, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFC", password).encode(), salt, iterations, 32)

def code_text(code):
    plain = base64.b32encode(code).decode().rstrip("=")
    assert len(plain) == 26
    return "-".join(plain[i:i + 5] for i in range(0, 26, 5))

def seal(key, aad, plaintext, iv):
    return {"v": 1, "iv": b64u(iv), "ct": b64u(AESGCM(key).encrypt(iv, plaintext, aad.encode()))}

VAULT_AAD = "bridgework/vault/v1"
PASSWORD = "Cafe\u0301 at noon \U0001F319"  # NFD: e + combining acute; NFC makes it U+00E9
assert unicodedata.normalize("NFC", PASSWORD) != PASSWORD

def account(name, iterations, salt, vault_key, code, iv_wrapped, iv_recovery, browser):
    stretched = stretch(PASSWORD, salt, iterations)
    assert stretched != hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, iterations, 32)  # NFC matters
    wrap, recovery = hkdf(stretched, "bridgework/wrap/v1"), hkdf(code, "bridgework/recovery/v1")
    return {
        "name": name, "inBrowser": browser,
        "password": PASSWORD, "passwordNfc": unicodedata.normalize("NFC", PASSWORD),
        "kdf": {"alg": "PBKDF2-SHA256", "iterations": iterations, "salt": b64u(salt)},
        "stretched": b64u(stretched),
        "authKey": b64u(hkdf(stretched, "bridgework/auth/v1")),
        "wrapKey": b64u(wrap),
        "vaultKey": b64u(vault_key),
        "recoveryCode": b64u(code),
        "recoveryCodeText": code_text(code),
        "recoveryKey": b64u(recovery),
        "recoveryAuth": b64u(hkdf(code, "bridgework/recovery-auth/v1")),
        "vault": {"wrapped": seal(wrap, VAULT_AAD, vault_key, iv_wrapped),
                  "recovery": seal(recovery, VAULT_AAD, vault_key, iv_recovery)},
    }

small = account("small", 1000, bytes.fromhex("5b0e9c31a7f2d84e16c3b09a7d2e54f1"),
                bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"),
                bytes.fromhex("d3b1f0e27c5a4986a1c2e3f405162738"),
                bytes.fromhex("a1a2a3a4a5a6a7a8a9aaabac"), bytes.fromhex("b1b2b3b4b5b6b7b8b9babbbc"), True)
owasp = account("owasp", 600000, bytes.fromhex("e4c7a2916b3d0f8852a1c9e07d3b6f24"),
                bytes.fromhex("7c6b5a493827160504f3e2d1c0bfae9d8c7b6a594837261504f3e2d1c0bfae9d"),
                bytes.fromhex("0123456789abcdeffedcba9876543210"),
                bytes.fromhex("c1c2c3c4c5c6c7c8c9cacbcc"), bytes.fromhex("d1d2d3d4d5d6d7d8d9dadbdc"), False)

REFLECTION_ID = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
# Compact JSON in key order, so JSON.stringify(JSON.parse(s)) and Vert.x JsonObject.encode() give these exact bytes.
CONTENT = '{"answers":{"what-happened":"We planned a quiet evening \u2014 and I ended up alone.","what-you-felt":["lonely","hurt"],"how-strong":7}}'
assert json.dumps(json.loads(CONTENT), ensure_ascii=False, separators=(",", ":")) == CONTENT
reflection_aad = "reflection/" + REFLECTION_ID
reflection = {"name": "reflection", "key": small["vaultKey"], "aad": reflection_aad, "plaintext": CONTENT,
              "envelope": seal(base64.urlsafe_b64decode(small["vaultKey"] + "="), reflection_aad, CONTENT.encode(),
                               bytes.fromhex("0c0d0e0f1011121314151617"))}

rfc5869 = bytes.fromhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d")
assert hkdf(bytes([0x0b] * 22), "") == rfc5869
rfc7914 = bytes.fromhex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
assert stretch("passwd", b"salt", 1) == rfc7914

vectors = {
    "source": "Made by src/test/vectors/make-crypto-vectors.py from the fixed inputs below, with neither ClientCrypto "
              "nor crypto.js: PBKDF2 by Python hashlib.pbkdf2_hmac over the UTF-8 of unicodedata NFC; HKDF written out "
              "from RFC 5869 with Python hmac and asserted equal to the cryptography package's HKDF (salt None = 32 zero "
              "bytes); base32 by base64.b32encode; AES-256-GCM by the cryptography package's AESGCM (OpenSSL). The "
              "anchors are published test vectors (RFC 5869 A.3, RFC 7914 section 11, first 32 bytes) that the "
              "generator also asserts. The small account's stretched and authKey were also reproduced by hand with the "
              "openssl kdf command (PBKDF2 and HKDF with a 32-zero-byte salt). ClientCryptoVectorsTest (Java) and CryptoInteropBrowserTest (Chromium WebCrypto) "
              "must reproduce every value.",
    "anchors": {
        "hkdf": {"reference": "RFC 5869 A.3 (empty salt, empty info), first 32 bytes of OKM",
                 "ikm": b64u(bytes([0x0b] * 22)), "info": "", "okm": b64u(rfc5869)},
        "pbkdf2": {"reference": "RFC 7914 section 11, PBKDF2-HMAC-SHA256, first 32 bytes",
                   "password": "passwd", "kdf": {"alg": "PBKDF2-SHA256", "iterations": 1, "salt": b64u(b"salt")},
                   "stretched": b64u(rfc7914)},
    },
    "vaultAad": VAULT_AAD,
    "accounts": [small, owasp],
    "envelopes": [reflection],
}
with open("src/test/resources/crypto-vectors.json", "w", encoding="utf-8") as f:
    json.dump(vectors, f, ensure_ascii=True, indent=2)
    f.write("\n")
