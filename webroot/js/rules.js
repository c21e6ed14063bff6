// The field rules for private work. The server sees only sealed envelopes now, so it cannot check
// them: the web app does, before sealing. Each check answers null or {field, message}.

export const MAX_TEXT = 20000;
export const MAX_EMOTIONS = 30;
export const MAX_EMOTION_LENGTH = 50;
export const ROLES = ['manager', 'firefighter', 'exile', 'unsure'];
const PART_TEXT = ['belief', 'bodySense', 'feelingToward', 'fears', 'needs', 'notes'];

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
  return null;
}

export function checkinProblem(checkin) {
  const p = emotionsProblem('emotions', checkin.emotions);
  if (p) return p;
  const { intensity } = checkin;
  if (!Number.isInteger(intensity) || intensity < 0 || intensity > 10) return problem('intensity', 'Please choose a whole number from 0 to 10.');
  return textProblem('note', checkin.note, 'The note');
}
