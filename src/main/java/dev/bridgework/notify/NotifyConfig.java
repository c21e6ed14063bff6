package dev.bridgework.notify;

import dev.bridgework.app.AppConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Email and notification settings of the server (README "Configuration"). Email is off until
 * {@code mail.host}, {@code mail.from} and {@code app.baseUrl} are set; in-app notices work anyway.
 *
 * @param tls {@code starttls} (upgrade a plain connection, required: port 587), {@code tls} (implicit
 *            TLS from the first byte: port 465) or {@code none} (only for a relay on localhost or tests)
 */
public record NotifyConfig(String host, int port, String tls, String username, String password, String from,
                           String baseUrl, Duration scanInterval, Duration instantDelay) {
  public static final Set<String> TLS_MODES = Set.of("starttls", "tls", "none");

  public NotifyConfig {
    if (!TLS_MODES.contains(tls)) {
      throw new IllegalArgumentException("mail.tls must be one of starttls, tls, none, but is '" + tls + "'");
    }
    if (!host.isEmpty() && (from.isEmpty() || baseUrl.isEmpty())) {
      throw new IllegalArgumentException("mail.host is set, so mail.from and app.baseUrl must be set too (the sender "
          + "address and the public address of this app, for the links in emails)");
    }
    while (baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
  }

  public static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("mail.host", "");
    d.put("mail.port", "587");
    d.put("mail.tls", "starttls");
    d.put("mail.username", "");
    d.put("mail.password", "");
    d.put("mail.from", "");
    d.put("app.baseUrl", "");
    d.put("notify.scanInterval", "30s");
    d.put("notify.instantDelay", "2m");
    return d;
  }

  public static NotifyConfig fromMap(Map<String, String> v) {
    return new NotifyConfig(v.get("mail.host").trim(), Integer.parseInt(v.get("mail.port").trim()),
        v.get("mail.tls").trim().toLowerCase(Locale.ROOT), v.get("mail.username").trim(), v.get("mail.password"),
        v.get("mail.from").trim(), v.get("app.baseUrl").trim(), AppConfig.duration(v.get("notify.scanInterval")),
        AppConfig.duration(v.get("notify.instantDelay")));
  }

  public boolean emailEnabled() {
    return !host.isEmpty();
  }

  @Override
  public String toString() {
    return "NotifyConfig[host=" + host + ", port=" + port + ", tls=" + tls + ", from=" + from + ", baseUrl=" + baseUrl + "]";
  }
}
