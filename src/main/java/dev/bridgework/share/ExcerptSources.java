package dev.bridgework.share;

import dev.bridgework.exercise.ExerciseCatalog;
import dev.bridgework.web.ApiException;
import io.vertx.core.Future;

import java.util.List;

/**
 * Where a share's words come from: its {@code reflectionId} must be one of the author's own
 * reflections, and each excerpt's {@code stepId} a step of that reflection's exercise (checked
 * against the {@link ExerciseCatalog} loaded at start-up).
 */
final class ExcerptSources {
  private final ShareRepository repo;
  private final ExerciseCatalog catalog;

  ExcerptSources(ShareRepository repo, ExerciseCatalog catalog) {
    this.repo = repo;
    this.catalog = catalog;
  }

  /**
   * Checks the reflection link and step ids; answers the reflection's exercise id (null without a
   * reflection). A reflection kept from the stored share is not looked up again: it was the
   * author's when linked, and a later private edit or deletion must not break their share.
   */
  Future<String> exerciseOf(ShareDraft draft, String userId, Share current) {
    Future<String> exercise;
    if (draft.reflectionId() == null) {
      exercise = Future.succeededFuture(null);
    } else if (current != null && draft.reflectionId().equals(current.reflectionId())) {
      exercise = Future.succeededFuture(current.exerciseId());
    } else {
      exercise = repo.ownReflection(draft.reflectionId(), userId).compose(reflection -> reflection == null
          ? Future.failedFuture(ApiException.invalid("reflectionId", "'reflectionId' must be the id of one of your reflections."))
          : Future.succeededFuture(reflection.getString("exerciseId")));
    }
    return exercise.compose(exerciseId -> {
      List<Share.Excerpt> excerpts = draft.excerpts();
      for (int i = 0; i < excerpts.size(); i++) {
        String stepId = excerpts.get(i).stepId();
        if (stepId == null) continue;
        String field = "excerpts[" + i + "].stepId";
        if (draft.reflectionId() == null) {
          return Future.failedFuture(ApiException.invalid(field, "A 'stepId' needs the 'reflectionId' it comes from."));
        }
        if (catalog.find(exerciseId).flatMap(known -> known.step(stepId)).isEmpty()) {
          return Future.failedFuture(ApiException.invalid(field, "The reflection's exercise has no step '" + stepId + "'."));
        }
      }
      return Future.succeededFuture(exerciseId);
    });
  }
}
