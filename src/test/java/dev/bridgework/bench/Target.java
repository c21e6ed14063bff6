package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;

/** A server the fan-out load runs against: Bridgework itself, or the floor. */
interface Target {
  String name();

  /** How partner {@code side} of couple {@code c} opens its socket. */
  WebSocketConnectOptions socket(Couple c, Couple.Member m, char side);

  /** Partner A shares: the one HTTP call whose effect partner B must see live. */
  Future<Http.Answer> share(Couple c, String id, Buffer body);

  static Target bridgework(Http http, int port) {
    return new Target() {
      @Override
      public String name() {
        return "bridgework";
      }

      @Override
      public WebSocketConnectOptions socket(Couple c, Couple.Member m, char side) {
        return new WebSocketConnectOptions().setHost(JavaProcess.HOST).setPort(port).setURI("/api/ws")
            .addHeader("Cookie", m.cookie());
      }

      @Override
      public Future<Http.Answer> share(Couple c, String id, Buffer body) {
        return http.call(HttpMethod.PUT, "/api/shares/" + id, c.a.cookie(), body);
      }
    };
  }

  static Target floor(Http http, int port) {
    return new Target() {
      @Override
      public String name() {
        return "floor";
      }

      @Override
      public WebSocketConnectOptions socket(Couple c, Couple.Member m, char side) {
        return new WebSocketConnectOptions().setHost(JavaProcess.HOST).setPort(port).setURI("/ws?pair=" + c.id);
      }

      @Override
      public Future<Http.Answer> share(Couple c, String id, Buffer body) {
        return http.call(HttpMethod.PUT, "/pairs/" + c.id + "/messages/" + id, null, body);
      }
    };
  }
}
