package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.List;

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

  /**
   * Two clustered nodes: partner A of couple {@code i} uses node {@code i % 2}, partner B node
   * {@code (i / 2) % 2}, so half of the couples have their partners on different nodes (as a load
   * balancer spreading connections would) and their shares cross the clustered event bus.
   */
  static Target cluster(List<Http> https, List<Integer> ports) {
    return new Target() {
      @Override
      public String name() {
        return "cluster";
      }

      @Override
      public WebSocketConnectOptions socket(Couple c, Couple.Member m, char side) {
        int node = side == 'A' ? c.index % 2 : (c.index / 2) % 2;
        return new WebSocketConnectOptions().setHost(JavaProcess.HOST).setPort(ports.get(node)).setURI("/api/ws")
            .addHeader("Cookie", m.cookie());
      }

      @Override
      public Future<Http.Answer> share(Couple c, String id, Buffer body) {
        return https.get(c.index % 2).call(HttpMethod.PUT, "/api/shares/" + id, c.a.cookie(), body);
      }
    };
  }
}
