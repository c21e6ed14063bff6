package dev.bridgework.auth;

import io.vertx.ext.web.RoutingContext;

/** Who is calling: set on the routing context by {@link SessionAuth}. */
public record Principal(String userId, String sessionKey) {
  static final String KEY = "bw.principal";

  public static Principal of(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) throw new IllegalStateException("route is not behind SessionAuth");
    return p;
  }
}
