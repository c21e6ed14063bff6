// Follow-ups and offers to oneself (issue #14, docs/PRIVATE-WORK.md "Follow-ups"). A step with
// `followUp` in the exercise files asks to be come back to: `offer` turns its answer into an item of
// "offers to myself", `revisit` (a "looking back" step left for later) into a dated reminder. Both
// are sealed like all private work; the due date too. Home shows what is due, calmly.
import { api, listOf } from './api.js';
import { isAnswered } from './answers.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * A stable id for "this step of this reflection", so finishing twice finds the same item instead of
 * making a second one: a UUID (v5-like layout) from SHA-256 of the pair.
 */
export async function stableId(...parts) {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000')))).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * After a reflection is finished: makes or updates the follow-ups its steps ask for. Answers
 * [{type, text, dueAt, stepId}] for the finish screen to tell about.
 */
export async function followUpsFor(exercise, reflectionId, answers) {
  const steps = (exercise.steps || []).filter((s) => s.followUp);
  if (!steps.length) return [];
  const all = listOf(await api.followups(), 'followups');
  const byId = new Map(all.map((f) => [f.id, f]));
  const out = [];
  for (const step of steps) {
    const id = await stableId('followup', reflectionId, step.id);
    const stored = byId.get(id) || null;
    const due = new Date(Date.now() + step.followUp.days * DAY).toISOString();
    const base = { reflectionId, exerciseId: exercise.id, stepId: step.id };
    if (step.followUp.kind === 'offer') {
      const text = typeof answers[step.id] === 'string' ? answers[step.id].trim() : '';
      if (!text) continue;
      if (stored && stored.sealedError) continue;
      if (stored && stored.text === text) { out.push(stored); continue; }
      const body = stored ? { ...stored, text, version: stored.version } : { type: 'offer', text, dueAt: due, done: false, ...base };
      out.push(await api.saveFollowup(id, body));
    } else if (!isAnswered(answers[step.id])) {
      if (stored) { if (!stored.done) out.push(stored); continue; }
      out.push(await api.saveFollowup(id, { type: 'revisit', text: step.prompt, dueAt: due, done: false, ...base }));
    } else if (stored && !stored.done && !stored.sealedError) {
      // Came back and answered it: the reminder has done its work.
      await api.saveFollowup(id, { ...stored, done: true, doneAt: new Date().toISOString(), version: stored.version });
    }
  }
  return out;
}

/** Due now or earlier and not done, oldest due first. */
export function dueOf(list, now = Date.now()) {
  return list.filter((f) => !f.sealedError && !f.done && Date.parse(f.dueAt) <= now)
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/** Where a follow-up leads: back to its step in its reflection. */
export function hrefOf(f) {
  if (!f.exerciseId || !f.reflectionId) return '#/offers';
  const step = f.type === 'revisit' && f.stepId ? `/${encodeURIComponent(f.stepId)}` : '';
  return `#/run/${encodeURIComponent(f.exerciseId)}/${encodeURIComponent(f.reflectionId)}${step}`;
}

/**
 * The "Quick check-in" exercise logs a real check-in when finished (one per reflection, so
 * finishing again updates it). Answers {saved} or {missing: "what is missing"}.
 */
export async function checkinFrom(exercise, reflectionId, answers) {
  const byKind = (kind) => (exercise.steps || []).filter((s) => s.kind === kind);
  const emotionsStep = byKind('emotions')[0];
  const scaleStep = byKind('scale')[0];
  const texts = byKind('text').map((s) => (typeof answers[s.id] === 'string' ? answers[s.id].trim() : '')).filter(Boolean);
  const emotions = emotionsStep && Array.isArray(answers[emotionsStep.id]) ? answers[emotionsStep.id] : [];
  const intensity = scaleStep ? answers[scaleStep.id] : undefined;
  if (!Number.isInteger(intensity)) return { missing: 'intensity', stepId: scaleStep && scaleStep.id };
  if (!emotions.length && !texts.length) return { missing: 'feelings', stepId: emotionsStep && emotionsStep.id };
  const id = await stableId('checkin', reflectionId);
  let stored = null;
  try {
    stored = await api.checkin(id);
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  const saved = await api.saveCheckin(id, {
    emotions, intensity, note: texts.join('\n\n'), at: stored ? stored.at : undefined, version: stored ? stored.version : undefined,
  });
  return { saved };
}
