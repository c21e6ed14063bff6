package dev.bridgework.help;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/help}: the "Get help" page's resources. No session needed on purpose: the page
 * must work signed out, locked, or for someone who only borrowed the device.
 */
public final class HelpRoutes {
  private final Vertx vertx;
  private final HelpDirectory directory;

  public HelpRoutes(Vertx vertx, HelpDirectory directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.get("/").handler(this::getHelp);
    return router;
  }

  private void getHelp(RoutingContext ctx) {
    ctx.json(directory.toJson());
  }
}
