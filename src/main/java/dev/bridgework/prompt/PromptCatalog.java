package dev.bridgework.prompt;

import static dev.bridgework.exercise.CatalogFields.*;

import dev.bridgework.exercise.CatalogException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The couple prompts: data files on the classpath ({@code prompts/index.json} lists the files, each
 * a JSON array of prompts), read once at start-up and validated strictly like the exercise catalog,
 * so a typo stops the server with a message naming the file, the prompt and the problem. Blocking IO:
 * call {@link #loadFromClasspath()} off the event loop.
 */
public final class PromptCatalog {
  public static final String DIRECTORY = "prompts/";
  static final String INDEX = "index.json";
  /** A guided sequence walks through a few questions; more would be an exercise, not a prompt. */
  static final int MIN_GUIDED = 3;
  static final int MAX_GUIDED = 6;
  private static final Set<String> PROMPT_FIELDS = Set.of("id", "practice", "kind", "title", "summary", "questions");
  private static final Set<String> QUESTION_FIELDS = Set.of("id", "text", "hint");

  private final List<CatalogPrompt> prompts;
  private final Map<String, CatalogPrompt> byId = new LinkedHashMap<>();

  private PromptCatalog(List<CatalogPrompt> prompts) {
    this.prompts = List.copyOf(prompts);
    prompts.forEach(p -> byId.put(p.id(), p));
  }

  public static PromptCatalog loadFromClasspath() {
    return loadFrom(PromptCatalog.class.getClassLoader());
  }

  static PromptCatalog loadFrom(ClassLoader loader) {
    String index = read(loader, INDEX);
    if (index == null) throw new CatalogException(DIRECTORY + INDEX + ": not found on the classpath");
    LinkedHashMap<String, String> files = new LinkedHashMap<>();
    Object value = decode(DIRECTORY + INDEX, index);
    if (!(value instanceof JsonArray names) || names.isEmpty()) {
      throw new CatalogException(DIRECTORY + INDEX + ": must be a non-empty JSON array of file names");
    }
    for (Object item : names) {
      if (!(item instanceof String name) || !name.matches("^[A-Za-z0-9_-]+\\.json$")) {
        throw new CatalogException(DIRECTORY + INDEX + ": '" + item + "' is not a file name such as together.json");
      }
      String text = read(loader, name);
      if (text == null) throw new CatalogException(DIRECTORY + INDEX + ": lists '" + name + "', which is not on the classpath");
      if (files.put(name, text) != null) throw new CatalogException(DIRECTORY + INDEX + ": lists '" + name + "' twice");
    }
    return fromFiles(files);
  }

  private static String read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(DIRECTORY + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + DIRECTORY + name, e);
    }
  }

  /** A catalog from file contents (name → JSON text), each file validated, then ids unique across files. */
  public static PromptCatalog fromFiles(LinkedHashMap<String, String> files) {
    List<CatalogPrompt> all = new ArrayList<>();
    Map<String, String> fileOf = new LinkedHashMap<>();
    files.forEach((name, text) -> {
      for (CatalogPrompt prompt : parseFile(name, text)) {
        String earlier = fileOf.putIfAbsent(prompt.id(), name);
        if (earlier != null) {
          throw new CatalogException(DIRECTORY + name + ": prompt id '" + prompt.id() + "' is already used in " + DIRECTORY + earlier);
        }
        all.add(prompt);
      }
    });
    if (all.isEmpty()) throw new CatalogException("the prompt catalog has no prompts");
    return new PromptCatalog(all);
  }

  public static List<CatalogPrompt> parseFile(String name, String text) {
    String file = DIRECTORY + name;
    if (!(decode(file, text) instanceof JsonArray array)) throw new CatalogException(file + ": must be a JSON array of prompts");
    List<CatalogPrompt> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String where = file + ": prompt #" + (i + 1);
      if (!(array.getValue(i) instanceof JsonObject json)) throw new CatalogException(where + " must be a JSON object");
      CatalogPrompt prompt = prompt(where + label(json), json);
      if (!ids.add(prompt.id())) throw new CatalogException(file + ": prompt id '" + prompt.id() + "' is used twice in this file");
      out.add(prompt);
    }
    return out;
  }

  private static CatalogPrompt prompt(String where, JsonObject json) {
    unknownFields(where, json, PROMPT_FIELDS);
    String id = id(where, json);
    String practice = text(where, json, "practice", 20);
    if (!CatalogPrompt.PRACTICES.contains(practice)) {
      throw new CatalogException(where + ": practice '" + practice + "' is not one of " + sorted(CatalogPrompt.PRACTICES));
    }
    String kind = text(where, json, "kind", 20);
    if (!CatalogPrompt.KINDS.contains(kind)) {
      throw new CatalogException(where + ": kind '" + kind + "' is not one of " + sorted(CatalogPrompt.KINDS));
    }
    String title = text(where, json, "title", 200);
    String summary = text(where, json, "summary", 1_000);
    if (!(json.getValue("questions") instanceof JsonArray qs)) throw new CatalogException(where + ": questions must be an array");
    boolean guided = CatalogPrompt.GUIDED.equals(kind);
    if (!guided && qs.size() != 1) throw new CatalogException(where + ": a single prompt has exactly 1 question, not " + qs.size());
    if (guided && (qs.size() < MIN_GUIDED || qs.size() > MAX_GUIDED)) {
      throw new CatalogException(where + ": a guided prompt has " + MIN_GUIDED + " to " + MAX_GUIDED + " questions, not " + qs.size());
    }
    List<CatalogPrompt.Question> questions = new ArrayList<>();
    Set<String> qids = new HashSet<>();
    for (int i = 0; i < qs.size(); i++) {
      String qWhere = where + ", question #" + (i + 1);
      if (!(qs.getValue(i) instanceof JsonObject q)) throw new CatalogException(qWhere + " must be a JSON object");
      qWhere += label(q);
      unknownFields(qWhere, q, QUESTION_FIELDS);
      String qid = id(qWhere, q);
      if (!qids.add(qid)) throw new CatalogException(qWhere + ": question id '" + qid + "' is used twice");
      String hint = q.getValue("hint") == null ? "" : optionalText(qWhere, q, "hint", 1_000);
      questions.add(new CatalogPrompt.Question(qid, text(qWhere, q, "text", 500), hint));
    }
    return new CatalogPrompt(id, practice, kind, title, summary, List.copyOf(questions));
  }

  public List<CatalogPrompt> all() {
    return prompts;
  }

  public Optional<CatalogPrompt> find(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    prompts.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("prompts", list);
  }
}
