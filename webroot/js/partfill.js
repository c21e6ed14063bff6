// A parts exercise fills a part of the parts map (issue #14). Steps name the part field their
// answer fills (`fills` in the exercise files, docs/EXERCISES.md); the part step says which part
// (one from the map, or {name} for a new one). Nothing reaches the map until the person confirms
// the preview; then the part's fields take the new answers and a dated visit is recorded.
import { h, replaceChildren, fmtDate, uuid } from './dom.js';
import { api } from './api.js';
import { isAnswered } from './answers.js';
import { button, formError, announce } from './ui.js';

export const FIELD_LABELS = {
  triggers: 'What brings it out',
  belief: 'What it believes about you',
  bodySense: 'Where you feel it',
  feelingToward: 'How you feel toward it',
  fears: 'What it is afraid of',
  needs: 'What it needs from you',
  hopes: 'What it protects or hopes for',
  notes: 'Notes',
  note: 'What you wanted to remember',
};
const VISIT_FIELDS = ['triggers', 'belief', 'bodySense', 'feelingToward', 'fears', 'needs'];
const MAX_VISITS = 200;

export function partStepOf(exercise) {
  return ((exercise && exercise.steps) || []).find((s) => s.kind === 'part') || null;
}

export function fillsParts(exercise) {
  return Boolean(partStepOf(exercise)) && exercise.steps.some((s) => s.fills);
}

function asText(value) {
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value.trim() : '';
}

/** What the answers would write: {partRef, fields:{belief,…}, note}. */
export function filledFrom(exercise, answers) {
  const fields = {};
  let note = '';
  for (const step of exercise.steps) {
    if (!step.fills || !isAnswered(answers[step.id])) continue;
    const text = asText(answers[step.id]);
    if (!text) continue;
    if (step.fills === 'visitNote') note = text;
    else if (step.fills !== 'name') fields[step.fills] = text;
  }
  const ps = partStepOf(exercise);
  return { partRef: ps ? answers[ps.id] : null, fields, note };
}

/** The last thing written about a part: its latest visit, or (before any visit) the part itself. */
export function lastTimeOf(part) {
  if (!part || part.sealedError) return null;
  const visits = Array.isArray(part.visits) ? part.visits : [];
  const last = visits.length ? visits[visits.length - 1] : null;
  const src = last || part;
  const entries = [...VISIT_FIELDS, 'note'].filter((k) => typeof src[k] === 'string' && src[k].trim()).map((k) => [k, src[k]]);
  if (!entries.length) return null;
  return { at: last ? last.at : part.updatedAt, entries, values: Object.fromEntries(entries) };
}

/** "Last time, on 3 Jan, you wrote:" and the fields, for the part step and the runner's notes. */
export function lastTimeBox(part) {
  const last = lastTimeOf(part);
  if (!last) return null;
  return h('section', { class: 'last-time', 'data-testid': 'part-last-time', 'aria-label': `What you wrote about ${part.name} last time` },
    h('h3', null, `Last time with “${part.name}”${last.at ? `, on ${fmtDate(last.at)}` : ''}`),
    h('dl', { class: 'part-details' }, last.entries.map(([k, v]) => [h('dt', null, FIELD_LABELS[k] || k), h('dd', null, v)])));
}

/**
 * The preview on the finish screen: what will be written to which part, and the button that writes
 * it. onWritten(part) runs once it is on the map (the runner then points its answer at the part).
 */
export function partPreview({ exercise, answers, parts, reflectionId, onWritten, onChooseStep }) {
  const { partRef, fields, note } = filledFrom(exercise, answers);
  const existing = typeof partRef === 'string' ? parts.find((p) => p.id === partRef && !p.sealedError) : null;
  const newName = partRef && typeof partRef === 'object' ? String(partRef.name || '').trim() : '';
  const box = h('section', { class: 'card part-preview', 'data-testid': 'part-preview', 'aria-labelledby': 'part-preview-title' });
  const title = h('h2', { id: 'part-preview-title', tabindex: '-1' }, 'Your parts map');
  if (!existing && !newName) {
    replaceChildren(box, title,
      h('p', null, 'This exercise can add what you wrote to a part on your parts map. Name the part, or choose one you have met before, and it will be offered here.'),
      onChooseStep ? button('Name the part', { 'data-testid': 'part-preview-choose', onClick: onChooseStep }) : null);
    return box;
  }
  const name = existing ? existing.name : newName;
  const rows = Object.entries(fields);
  const err = formError('part-preview-error');
  const confirm = button('Add to your parts map', { kind: 'primary', 'data-testid': 'part-preview-confirm' });
  const skip = button('Not now', { 'data-testid': 'part-preview-skip' });
  const done = h('p', { class: 'saved-note', 'data-testid': 'part-preview-done', role: 'status', hidden: true });
  confirm.addEventListener('click', async () => {
    err.clear();
    confirm.disabled = true;
    try {
      const part = await writePart({ existing, newName, fields, note, parts, reflectionId, exerciseId: exercise.id });
      confirm.hidden = true;
      skip.hidden = true;
      done.hidden = false;
      replaceChildren(done, existing ? `Added this visit to “${part.name}”. ` : `Added “${part.name}” to your parts map. `,
        h('a', { href: `#/parts/${encodeURIComponent(part.id)}`, 'data-testid': 'part-preview-open' }, 'See it on the map'));
      announce(existing ? `Visit recorded for ${part.name}.` : `${part.name} added to your parts map.`);
      if (onWritten) onWritten(part);
    } catch (e) {
      err.show(e);
      confirm.disabled = false;
    }
  });
  skip.addEventListener('click', () => {
    replaceChildren(box, title, h('p', { 'data-testid': 'part-preview-skipped' }, 'Nothing was added to your parts map. You can add a part there whenever you like.'));
  });
  replaceChildren(box, title,
    h('p', null, existing
      ? `Here is what this visit with “${name}” would add. It is dated today, and what you wrote last time stays with the earlier visits.`
      : `Here is the new part “${name}” as it would appear on your map. Nothing is written until you add it.`),
    h('div', { class: 'preview-part', 'data-testid': 'part-preview-card' },
      h('h3', { 'data-testid': 'part-preview-name' }, name),
      rows.length || note
        ? h('dl', { class: 'part-details' },
          rows.map(([k, v]) => [h('dt', null, FIELD_LABELS[k] || k), h('dd', null, v)]),
          note ? [h('dt', null, FIELD_LABELS.note), h('dd', null, note)] : null)
        : h('p', { class: 'muted' }, 'Just the name for now; you can add more on the map.')),
    err.el,
    h('div', { class: 'button-row' }, confirm, skip),
    done);
  return box;
}

async function writePart({ existing, newName, fields, note, parts, reflectionId, exerciseId }) {
  const visit = { at: new Date().toISOString(), reflectionId, exerciseId, ...fields };
  if (note) visit.note = note;
  // One visit per reflection: confirming again (or finishing again) replaces it.
  const withVisit = (p) => [...(Array.isArray(p.visits) ? p.visits : []).filter((v) => v.reflectionId !== reflectionId), visit]
    .slice(-MAX_VISITS);
  if (!existing) {
    return api.savePart(uuid(), { name: newName, ...fields, visits: withVisit({}) });
  }
  const attempt = (p) => api.savePart(p.id, { ...p, ...fields, visits: withVisit(p), version: p.version });
  try {
    return await attempt(existing);
  } catch (e) {
    // Changed on another device meanwhile: add the visit to what is there now.
    if (e.code === 'version_conflict' && e.current && !e.current.sealedError) {
      const i = parts.findIndex((x) => x.id === existing.id);
      if (i >= 0) parts[i] = e.current;
      return attempt(e.current);
    }
    throw e;
  }
}
