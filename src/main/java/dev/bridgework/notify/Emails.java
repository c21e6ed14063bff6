package dev.bridgework.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of every email. They are fixed sentences: the only thing that varies is the partner's
 * display name and counts. Nothing anyone wrote (titles, excerpts, notes, replies) and nothing about
 * private work ever goes into an email: a mailbox is read by other people, previewed on lock
 * screens, and kept by mail providers.
 */
final class Emails {
  private Emails() {}

  record Email(String subject, String text) {}

  static Email share(String partner) {
    return new Email(partner + " shared something with you", partner + " shared something with you in Bridgework.");
  }

  static Email reply(String partner) {
    return new Email(partner + " replied", partner + " replied in your joint space in Bridgework.");
  }

  static Email review(String partner) {
    return new Email("Your joint review changed", partner + " added to your joint review in Bridgework.");
  }

  static Email digest(int shares, int replies, int reviews) {
    List<String> lines = new ArrayList<>();
    if (shares > 0) lines.add(count(shares, "new share", "new shares"));
    if (replies > 0) lines.add(count(replies, "share with new replies", "shares with new replies"));
    if (reviews > 0) lines.add("Your joint review changed.");
    return new Email("What arrived in Bridgework", "Since your last summary:\n\n- " + String.join("\n- ", lines));
  }

  static Email reminder() {
    return new Email("Something you chose to come back to is due", "Something you chose to come back to is due.");
  }

  /** Never a word of what is held, not even its title: only that something is waiting. */
  static Email held() {
    return new Email("Something you held is waiting for you",
        "You asked to be reminded about something you held. It is still just yours, and waiting whenever you are ready.");
  }

  static Email checkin() {
    return new Email("A moment to check in with yourself", "This is the check-in rhythm you chose. Take a moment for yourself, if you'd like.");
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** The plain-text body: the sentence, the link, and how to change or stop these emails. */
  static String text(Email email, String appUrl, String settingsUrl, String unsubscribeUrl) {
    return email.text() + "\n\nOpen Bridgework: " + appUrl + "\n\n"
        + "You get this email because of your notification settings: " + settingsUrl + "\n"
        + "Stop all emails from Bridgework: " + unsubscribeUrl + "\n";
  }

  static String html(Email email, String appUrl, String settingsUrl, String unsubscribeUrl) {
    return "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">"
        + "<p>" + escape(email.text()).replace("\n", "<br>") + "</p>"
        + "<p><a href=\"" + escape(appUrl) + "\">Open Bridgework</a></p>"
        + "<p style=\"color:#666;font-size:small\">You get this email because of your "
        + "<a href=\"" + escape(settingsUrl) + "\">notification settings</a>. "
        + "<a href=\"" + escape(unsubscribeUrl) + "\">Stop all emails from Bridgework</a>.</p></body></html>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
