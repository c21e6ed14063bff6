package dev.bridgework.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A thin HTTP client for one server on 127.0.0.1; the session cookie travels per request. */
final class Http {
  record Answer(int status, Buffer body, List<String> cookies) {
    JsonObject json() {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    }

    /** {@code bw_session=<token>} from a Set-Cookie header, as a Cookie header value. */
    String sessionCookie() {
      for (String c : cookies) {
        if (c.startsWith("bw_session=")) {
          int end = c.indexOf(';');
          return end < 0 ? c : c.substring(0, end);
        }
      }
      return null;
    }
  }

  private final HttpClientAgent client;
  private final int port;

  Http(HttpClientAgent client, int port) {
    this.client = client;
    this.port = port;
  }

  Future<Answer> call(HttpMethod method, String path, String cookie, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(JavaProcess.HOST).setPort(port).setURI(path);
    if (cookie != null) options.putHeader("Cookie", cookie);
    if (body != null) options.putHeader("Content-Type", "application/json");
    return client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b, resp.cookies())));
  }

  Future<Answer> call(HttpMethod method, String path, String cookie, JsonObject body) {
    return call(method, path, cookie, body == null ? null : body.toBuffer());
  }

  /** Fails unless the answer has the expected status (the message names the call and the answer). */
  Future<JsonObject> expect(int status, HttpMethod method, String path, String cookie, JsonObject body) {
    return call(method, path, cookie, body).compose(a -> a.status() == status
        ? Future.succeededFuture(a.json())
        : Future.failedFuture(method + " " + path + " answered " + a.status() + " (expected " + status + "): "
            + (a.body() == null ? "" : a.body().toString())));
  }
}
