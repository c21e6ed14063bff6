package dev.bridgework.auth;

import java.time.Instant;

/** A signed-in browser or client. {@code key} is the hash of the cookie's token, never the token. */
public record Session(String key, String userId, Instant createdAt, Instant lastSeenAt) {}
