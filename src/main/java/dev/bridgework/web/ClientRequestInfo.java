package dev.bridgework.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.WebServerRequest;

import java.util.List;
import java.util.Locale;

/**
 * The one place that decides how a request looks from the client's side: whether it arrived over
 * HTTPS, which scheme and host the browser used (the server's own origin), and the client's
 * address. Behind a TLS-terminating proxy those come from {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-For}, but only when the direct peer is one of
 * {@code http.trustedProxies}; from any other peer the headers are ignored, since anyone can send
 * them. (Vert.x Web's {@code Router.allowForward} would trust every peer.)
 *
 * <p>Mounted first on the router, it records its answer on the routing context; the static
 * accessors read it from there, also when handed the context's request (as the session cookie and
 * the WebSocket handshake are). A request that never passed the handler is judged on its own
 * connection only.
 */
public final class ClientRequestInfo implements Handler<RoutingContext> {
  private static final String KEY = ClientRequestInfo.class.getName();

  /**
   * What the client used: {@code scheme} "https" or "http", {@code host} as in its address bar
   * (host[:port], null when the request named none), and its address.
   */
  public record Seen(String scheme, String host, String clientAddress) {
    public boolean secure() {
      return "https".equals(scheme);
    }

    /** scheme://host, or null without a host. */
    public String origin() {
      return host == null ? null : scheme + "://" + host;
    }
  }

  private final TrustedProxies trusted;

  public ClientRequestInfo(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(KEY, resolve(ctx.request(), trusted));
    ctx.next();
  }

  public static Seen of(RoutingContext ctx) {
    Seen seen = ctx.get(KEY);
    return seen != null ? seen : resolve(ctx.request(), TrustedProxies.NONE);
  }

  public static Seen of(HttpServerRequest request) {
    if (request instanceof WebServerRequest web && web.routingContext() != null) return of(web.routingContext());
    return resolve(request, TrustedProxies.NONE);
  }

  /** True over TLS served here, or when a trusted proxy says the client used HTTPS. */
  public static boolean isSecure(RoutingContext ctx) {
    return of(ctx).secure();
  }

  public static boolean isSecure(HttpServerRequest request) {
    return of(request).secure();
  }

  /** The server's own origin as the client sees it ({@code https://bridge.example}), or null. */
  public static String origin(RoutingContext ctx) {
    return of(ctx).origin();
  }

  public static String origin(HttpServerRequest request) {
    return of(request).origin();
  }

  /** The client's IP address, for per-address throttles and logs. */
  public static String clientAddress(RoutingContext ctx) {
    return of(ctx).clientAddress();
  }

  public static String clientAddress(HttpServerRequest request) {
    return of(request).clientAddress();
  }

  static Seen resolve(HttpServerRequest request, TrustedProxies trusted) {
    SocketAddress remote = request.remoteAddress();
    String peerText = remote == null ? null : remote.hostAddress();
    byte[] peer = TrustedProxies.parseAddress(peerText);
    String peerAddress = peer != null ? TrustedProxies.canonical(peer) : peerText;
    String scheme = request.isSSL() ? "https" : "http";
    String host = ownHost(request);
    if (peer == null || !trusted.contains(peer)) return new Seen(scheme, host, peerAddress);

    String proto = lastValue(request.headers().getAll("X-Forwarded-Proto"));
    if (proto != null) {
      proto = proto.toLowerCase(Locale.ROOT);
      if (proto.equals("https") || proto.equals("http")) scheme = proto;
    }
    String forwardedHost = lastValue(request.headers().getAll("X-Forwarded-Host"));
    if (forwardedHost != null && HostAndPort.parseAuthority(forwardedHost, -1) != null) host = forwardedHost;
    return new Seen(scheme, host, forwardedFor(request.headers().getAll("X-Forwarded-For"), peerAddress, trusted));
  }

  /**
   * Each proxy appends the address it was connected from, so the entries are read from the right:
   * the first one that is not itself a trusted proxy is the client. Entries to its left were
   * written by the client and may be anything. A malformed entry ends the walk at the last
   * address a trusted proxy vouched for.
   */
  private static String forwardedFor(List<String> headers, String peer, TrustedProxies trusted) {
    String candidate = peer;
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] entries = headers.get(h).split(",");
      for (int i = entries.length - 1; i >= 0; i--) {
        byte[] address = TrustedProxies.parseAddress(entries[i]);
        if (address == null) return candidate;
        candidate = TrustedProxies.canonical(address);
        if (!trusted.contains(address)) return candidate;
      }
    }
    return candidate;
  }

  /** The right-most value of a possibly repeated, comma-separated header: the one our proxy wrote. */
  private static String lastValue(List<String> headers) {
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] parts = headers.get(h).split(",");
      for (int i = parts.length - 1; i >= 0; i--) {
        String part = parts[i].trim();
        if (!part.isEmpty()) return part;
      }
    }
    return null;
  }

  private static String ownHost(HttpServerRequest request) {
    String host = request.getHeader("Host");
    if (host != null && !host.isBlank()) return host.trim();
    HostAndPort authority = request.authority();
    if (authority == null) return null;
    return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
  }
}
