// The field rules for private work. The server sees only sealed envelopes now, so it cannot check
// them: the web app does, before sealing. Each check answers null or {field, message}.

export const MAX_TEXT = 20000;
export const MAX_EMOTIONS = 30;
export const MAX_EMOTION_LENGTH = 50;
export const ROLES = ['manager', 'firefighter', 'exile', 'unsure'];
const PART_TEXT = ['belief', 'bodySense', 'feelingToward', 'fears', 'needs', 'notes', 'triggers', 'hopes'];
export const RELATION_KINDS = ['protects', 'polarized'];
const VISIT_TEXT = ['belief', 'bodySense', 'feelingToward', 'fears', 'needs', 'triggers', 'note'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isTime = (v) => typeof v === 'string' && Number.isFinite(Date.parse(v));

const problem = (field, message) => ({ field, message });

function textProblem(field, value, label) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return problem(field, `${label} must be text.`);
  if (value.length > MAX_TEXT) {
    return problem(field, `${label} is ${value.length.toLocaleString()} characters long; the most that fits is ${MAX_TEXT.toLocaleString()}. Please shorten it a little.`);
  }
  return null;
}

export function emotionsProblem(field, value) {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) return problem(field, 'Feelings must be a list of words.');
  if (value.length > MAX_EMOTIONS) return problem(field, `Please choose at most ${MAX_EMOTIONS} feelings.`);
  for (const word of value) {
    if (typeof word !== 'string' || !word.trim()) return problem(field, 'A feeling cannot be blank.');
    if (word.length > MAX_EMOTION_LENGTH) return problem(field, `Please keep each feeling to ${MAX_EMOTION_LENGTH} characters or fewer.`);
  }
  return null;
}

function scaleBounds(step) {
  const min = Number.isFinite(Number(step.min)) ? Number(step.min) : 0;
  const max = Number.isFinite(Number(step.max)) ? Number(step.max) : 10;
  return { min, max };
}

/**
 * A reflection's answers against its exercise's steps. partIds: the ids of the person's own parts
 * (a function answering a Set, called only when a part step is answered).
 */
export async function reflectionProblem(exercise, answers, partIds) {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) return problem('answers', 'The answers could not be read.');
  const steps = new Map(((exercise && exercise.steps) || []).map((s) => [s.id, s]));
  for (const [stepId, value] of Object.entries(answers)) {
    const field = `answers.${stepId}`;
    const step = steps.get(stepId);
    if (!step) return problem(field, 'This answer belongs to a step that is not part of this exercise.');
    if (value === null || value === undefined) continue;
    switch (step.kind) {
      case 'scale': {
        const { min, max } = scaleBounds(step);
        if (!Number.isInteger(value) || value < min || value > max) return problem(field, `Please choose a whole number from ${min} to ${max}.`);
        break;
      }
      case 'emotions': {
        const p = emotionsProblem(field, value);
        if (p) return p;
        break;
      }
      case 'part': {
        // {name}: a new part the person named here, written to the map only once they confirm it.
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const n = value.name;
          if (typeof n !== 'string' || !n.trim()) return problem(field, 'Please give this part a name.');
          if (n.length > 100) return problem(field, 'Please keep the name to 100 characters or fewer.');
          break;
        }
        if (typeof value !== 'string' || !(await partIds()).has(value)) {
          return problem(field, 'That part is not in your parts map any more. Please choose another one, or none.');
        }
        break;
      }
      default: {
        const p = textProblem(field, value, 'This answer');
        if (p) return p;
      }
    }
  }
  return null;
}

export function partProblem(part) {
  const name = part && part.name;
  if (typeof name !== 'string' || !name.trim()) return problem('name', 'Please give this part a name.');
  if (name.length > 100) return problem('name', 'Please keep the name to 100 characters or fewer.');
  if (part.role !== undefined && part.role !== null && part.role !== '' && !ROLES.includes(part.role)) {
    return problem('role', 'Please choose one of the roles, or “Choose later”.');
  }
  for (const key of PART_TEXT) {
    const p = textProblem(key, part[key], 'This field');
    if (p) return p;
  }
  if (part.feltAge !== undefined && part.feltAge !== null
    && (typeof part.feltAge !== 'string' || part.feltAge.length > 100)) {
    return problem('feltAge', 'Please keep the felt age to 100 characters or fewer.');
  }
  return relationsProblem(part.relations) || visitsProblem(part.visits);
}

/** Relations to other parts: [{to: partId, kind: "protects"|"polarized"}], at most 50. */
function relationsProblem(relations) {
  if (relations === undefined || relations === null) return null;
  if (!Array.isArray(relations) || relations.length > 50) return problem('relations', 'A part can have at most 50 relations.');
  for (const r of relations) {
    if (!r || typeof r !== 'object' || !UUID_RE.test(String(r.to)) || !RELATION_KINDS.includes(r.kind)) {
      return problem('relations', 'Please choose another part and how they relate.');
    }
  }
  return null;
}

/** Dated visits: [{at, reflectionId?, exerciseId?, belief?, …, note?}], at most 200 (the oldest go first). */
function visitsProblem(visits) {
  if (visits === undefined || visits === null) return null;
  if (!Array.isArray(visits) || visits.length > 200) return problem('visits', 'This part has too many visits to keep.');
  for (const v of visits) {
    if (!v || typeof v !== 'object' || !isTime(v.at)) return problem('visits', 'A visit needs a date.');
    for (const key of VISIT_TEXT) {
      const p = textProblem('visits', v[key], 'A visit');
      if (p) return p;
    }
  }
  return null;
}

/** A reflection's optional title of the person's own. */
export function titleProblem(title) {
  if (title === undefined || title === null || title === '') return null;
  if (typeof title !== 'string') return problem('title', 'The title must be text.');
  if (title.length > 200) return problem('title', 'Please keep the title to 200 characters or fewer.');
  return null;
}

/** A follow-up or an offer to oneself. */
export function followupProblem(f) {
  if (!f || !['offer', 'revisit'].includes(f.type)) return problem('type', 'This follow-up could not be read.');
  if (f.type === 'offer' && (typeof f.text !== 'string' || !f.text.trim())) {
    return problem('text', 'Please write what you will offer yourself.');
  }
  const p = textProblem('text', f.text, 'The text');
  if (p) return p;
  if (!isTime(f.dueAt)) return problem('dueAt', 'Please choose a date.');
  if (typeof f.done !== 'boolean') return problem('done', 'Please say whether it is done.');
  return null;
}

export const EMPTY_CHECKIN_MESSAGE = 'Please name at least one feeling, or write a few words, before you save this check-in.';

export function checkinProblem(checkin) {
  const p = emotionsProblem('emotions', checkin.emotions);
  if (p) return p;
  const noFeelings = !Array.isArray(checkin.emotions) || checkin.emotions.length === 0;
  const noNote = typeof checkin.note !== 'string' || !checkin.note.trim();
  if (noFeelings && noNote) return problem('emotions', EMPTY_CHECKIN_MESSAGE);
  const { intensity } = checkin;
  if (!Number.isInteger(intensity) || intensity < 0 || intensity > 10) return problem('intensity', 'Please choose a whole number from 0 to 10.');
  return textProblem('note', checkin.note, 'The note');
}
