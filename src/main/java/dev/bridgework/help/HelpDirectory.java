package dev.bridgework.help;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The crisis and domestic-violence resources of the "Get help" page ({@code GET /api/help}), as
 * the operator lists them in {@code help.file} (default {@code config/help.yaml}). The file is read
 * and validated once at start-up: a mistake stops the server with a message naming the file and the
 * entry, because a wrong phone number on this page is worse than none. Without the file the page
 * still says what matters most: call your local emergency number.
 */
public final class HelpDirectory {
  /** Always first on the page, whatever the file says (or when there is no file). */
  public static final String EMERGENCY = "If you or anyone else is in danger right now, call your local emergency number "
      + "(112 across Europe and on most mobile phones, 911 in the United States and Canada, 999 in the United Kingdom, "
      + "000 in Australia).";
  static final Set<String> KINDS = Set.of("emergency", "crisis", "domestic-violence", "support");
  private static final Set<String> TOP_FIELDS = Set.of("note", "regions");
  private static final Set<String> REGION_FIELDS = Set.of("id", "name", "resources");
  private static final Set<String> RESOURCE_FIELDS = Set.of("name", "kind", "phone", "sms", "url", "hours", "about");
  private static final Pattern REGION_ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
  private static final Pattern PHONE = Pattern.compile("^[0-9+][0-9 ()\\-]{1,29}$");
  private static final Pattern URL = Pattern.compile("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\\s<>\"]*)?$");

  private final JsonObject json;

  private HelpDirectory(JsonObject json) {
    this.json = json;
  }

  /** The page's content: {@code {emergency, note, regions:[{id, name, resources:[…]}]}}. */
  public JsonObject toJson() {
    return json.copy();
  }

  /** Reads and validates the file (blocking IO: call it off the event loop); no file, no regions. */
  public static HelpDirectory load(Path file) {
    if (!Files.exists(file)) return fromMap(file.toString(), Map.of());
    try {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
      if (parsed == null) return fromMap(file.toString(), Map.of());
      if (!(parsed instanceof Map<?, ?> map)) throw invalid(file.toString(), "the file must hold a mapping with 'regions'");
      return fromMap(file.toString(), map);
    } catch (IOException e) {
      throw new UncheckedIOException("help.file: cannot read '" + file + "'", e);
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw invalid(file.toString(), "not valid YAML: " + e.getMessage());
    }
  }

  static HelpDirectory fromMap(String where, Map<?, ?> top) {
    fields(where, top, TOP_FIELDS);
    JsonObject out = new JsonObject().put("emergency", EMERGENCY).put("note", text(where + ": note", top.get("note"), false, 500));
    JsonArray regions = new JsonArray();
    Set<String> ids = new HashSet<>();
    Object list = top.get("regions");
    if (list != null) {
      if (!(list instanceof List<?> items) || items.size() > 60) throw invalid(where, "'regions' must be a list of at most 60 regions");
      for (int i = 0; i < items.size(); i++) {
        String at = where + ": regions[" + i + "]";
        if (!(items.get(i) instanceof Map<?, ?> region)) throw invalid(at, "must be a mapping with id, name and resources");
        fields(at, region, REGION_FIELDS);
        String id = text(at + ".id", region.get("id"), true, 20);
        if (!REGION_ID.matcher(id).matches()) throw invalid(at + ".id", "lower-case letters, digits and dashes ('us', 'de', 'uk')");
        if (!ids.add(id)) throw invalid(at + ".id", "'" + id + "' is listed twice");
        regions.add(new JsonObject().put("id", id).put("name", text(at + ".name", region.get("name"), true, 100))
            .put("resources", resources(at, region.get("resources"))));
      }
    }
    return new HelpDirectory(out.put("regions", regions));
  }

  private static JsonArray resources(String at, Object value) {
    if (!(value instanceof List<?> items) || items.isEmpty() || items.size() > 20) {
      throw invalid(at + ".resources", "must be a list of 1 to 20 resources");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      String where = at + ".resources[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> r)) throw invalid(where, "must be a mapping with name, kind and a phone, sms or url");
      fields(where, r, RESOURCE_FIELDS);
      String kind = text(where + ".kind", r.get("kind"), true, 40);
      if (!KINDS.contains(kind)) throw invalid(where + ".kind", "one of " + String.join(", ", KINDS.stream().sorted().toList()));
      String phone = contact(where + ".phone", r.get("phone"), PHONE);
      String sms = contact(where + ".sms", r.get("sms"), PHONE);
      String url = contact(where + ".url", r.get("url"), URL);
      if (phone == null && sms == null && url == null) throw invalid(where, "needs a phone, sms or url");
      out.add(new JsonObject().put("name", text(where + ".name", r.get("name"), true, 120)).put("kind", kind)
          .put("phone", phone).put("sms", sms).put("url", url)
          .put("hours", text(where + ".hours", r.get("hours"), false, 60))
          .put("about", text(where + ".about", r.get("about"), false, 300)));
    }
    return out;
  }

  private static void fields(String where, Map<?, ?> map, Set<String> allowed) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        throw invalid(where, "unknown field '" + key + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String contact(String where, Object value, Pattern pattern) {
    if (value == null) return null;
    // A YAML number (phone: 988) is read as one; it is still a phone number.
    String s = String.valueOf(value).trim();
    if (!pattern.matcher(s).matches()) {
      throw invalid(where, pattern == URL ? "must be an https:// address" : "digits, spaces, +, ( ) and - only");
    }
    return s;
  }

  private static String text(String where, Object value, boolean required, int max) {
    if (value == null) {
      if (required) throw invalid(where, "is required");
      return null;
    }
    if (!(value instanceof String) && !(value instanceof Number)) throw invalid(where, "must be text");
    String s = String.valueOf(value).trim();
    if (s.isEmpty() && !required) return null; // note: "" means no note
    if (s.isEmpty() || s.length() > max) throw invalid(where, "must be 1 to " + max + " characters");
    return s;
  }

  private static IllegalArgumentException invalid(String where, String problem) {
    return new IllegalArgumentException("help.file " + where + ": " + problem);
  }
}
