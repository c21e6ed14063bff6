package dev.bridgework.notify;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

/** Sends one email over SMTP with the Vert.x mail client. */
final class Mailer {
  private final NotifyConfig config;
  private final MailClient client;

  Mailer(Vertx vertx, NotifyConfig config) {
    this.config = config;
    MailConfig mail = new MailConfig().setHostname(config.host()).setPort(config.port())
        .setKeepAlive(true).setMaxPoolSize(2);
    switch (config.tls()) {
      case "tls" -> mail.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case "starttls" -> mail.setStarttls(StartTLSOptions.REQUIRED);
      default -> mail.setStarttls(StartTLSOptions.DISABLED);
    }
    if (!config.username().isEmpty()) {
      mail.setUsername(config.username()).setPassword(config.password()).setLogin(LoginOption.REQUIRED);
    } else {
      mail.setLogin(LoginOption.DISABLED);
    }
    this.client = config.emailEnabled() ? MailClient.create(vertx, mail) : null;
  }

  /**
   * One email with a plain-text and an HTML part, and a one-click unsubscribe (RFC 8058: the
   * {@code List-Unsubscribe} URL answers a POST of {@code List-Unsubscribe=One-Click}).
   * {@code messageId} is stable per outbox entry, so a resend after a crash mid-send is
   * recognisable as the same message.
   */
  Future<Void> send(String to, Emails.Email email, String unsubscribeToken, String messageId) {
    if (client == null) return Future.failedFuture(new IllegalStateException("mail.host is not configured"));
    String app = config.baseUrl() + "/";
    String settings = config.baseUrl() + "/#/account";
    String unsubscribe = config.baseUrl() + "/api/unsubscribe?token=" + unsubscribeToken;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("List-Unsubscribe", "<" + unsubscribe + ">")
        .add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .add("Auto-Submitted", "auto-generated")
        .add("X-Bridgework-Message", messageId);
    MailMessage message = new MailMessage().setFrom(config.from()).setTo(to).setSubject(email.subject())
        .setText(Emails.text(email, app, settings, unsubscribe))
        .setHtml(Emails.html(email, app, settings, unsubscribe))
        .setHeaders(headers);
    return client.sendMail(message).mapEmpty();
  }

  Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
