// The sealing layer for private work (docs/ENCRYPTION.md). Everything a view sends is checked
// against rules.js and sealed here; everything the server answers is opened here, so the views
// keep seeing plain objects ({id, exerciseId, status, answers, …}). An envelope that does not open
// (moved onto another record, a flipped bit) becomes an item with `sealedError` set, never garbage.
import { request, ApiError } from './http.js';
import { vault } from './vault.js';
import { reflectionProblem, partProblem, checkinProblem, followupProblem, titleProblem } from './rules.js';

const enc = encodeURIComponent;

export const SEALED_ERROR_MESSAGE = 'This entry could not be opened on this device. It may have been changed outside Bridgework, '
  + 'so it is not shown. Your other entries are not affected.';
export const PENDING_MESSAGE = 'This entry is still being secured. It will show here in a moment.';

const ROUTE = { reflection: 'reflections', part: 'parts', checkin: 'checkins', kept: 'kept', followup: 'followups' };
const LIST = { reflection: 'reflections', part: 'parts', checkin: 'checkins', kept: 'kept', followup: 'followups' };

/** Opens one item's `sealed` and merges the content under the clear fields. */
export async function openItem(kind, item) {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const { sealed, ...clear } = item;
  if (!sealed) {
    // A legacy item until this client seals it (secureUnsealed), or a bare {id}.
    return item.legacy ? { ...clear, sealedError: 'pending' } : clear;
  }
  try {
    const content = await vault.open(kind, item.id, sealed);
    if (!content || typeof content !== 'object' || Array.isArray(content)) throw new Error('not an object');
    const { sealedError, ...rest } = content;
    return { ...rest, ...clear };
  } catch (e) {
    return { ...clear, sealedError: e && e.code === 'locked' ? 'locked' : 'unopened' };
  }
}

async function openList(kind, data) {
  const key = LIST[kind];
  const list = Array.isArray(data) ? data : (data && Array.isArray(data[key]) ? data[key] : []);
  const opened = await Promise.all(list.map((x) => openItem(kind, x)));
  return Array.isArray(data) ? opened : { ...data, [key]: opened };
}

function invalid(p) {
  return new ApiError(400, 'invalid', p.message, p.field);
}

async function put(kind, id, body, opts) {
  try {
    return await openItem(kind, await request('PUT', `/api/${ROUTE[kind]}/${enc(id)}`, body, opts));
  } catch (e) {
    // A version conflict carries the stored item: open it for the conflict panel.
    if (e && e.current) e.current = await openItem(kind, e.current);
    throw e;
  }
}

function withVersion(body, version) {
  if (version !== undefined && version !== null) body.version = version;
  return body;
}

// ---------------------------------------------------------------- what rules.js needs

const exercises = new Map();
async function exercise(id) {
  if (!exercises.has(id)) {
    exercises.set(id, request('GET', `/api/exercises/${enc(id)}`).catch((e) => { exercises.delete(id); throw e; }));
  }
  return exercises.get(id);
}

let partIds = null;
/** The ids of the person's parts (ids are in the clear, so nothing needs opening). */
function knownPartIds() {
  return async () => {
    if (!partIds) {
      const data = await request('GET', '/api/parts');
      partIds = new Set((Array.isArray(data) ? data : (data && data.parts) || []).map((p) => p.id));
    }
    return partIds;
  };
}
async function checkPartIds(answers, ex) {
  // A part made on another device a moment ago: look once more before calling it unknown.
  const ids = knownPartIds();
  const first = await reflectionProblem(ex, answers, ids);
  if (first && first.message.startsWith('That part') && partIds) {
    partIds = null;
    return reflectionProblem(ex, answers, ids);
  }
  return first;
}

// ---------------------------------------------------------------- reflections

export async function reflections(query = '') {
  return openList('reflection', await request('GET', `/api/reflections${query}`));
}

export async function reflection(id) {
  return openItem('reflection', await request('GET', `/api/reflections/${enc(id)}`));
}

export async function saveReflection(id, { exerciseId, answers, status, version, title }, opts) {
  const p = titleProblem(title) || await checkPartIds(answers || {}, await exercise(exerciseId));
  if (p) throw invalid(p);
  // A title of the person's own (issue #14) is sealed with the answers; none means none.
  const content = { answers: answers || {} };
  if (typeof title === 'string' && title.trim()) content.title = title;
  const sealed = await vault.seal('reflection', id, content);
  return put('reflection', id, withVersion({ exerciseId, status, sealed }, version), opts);
}

// ---------------------------------------------------------------- parts

const PART_FIELDS = ['name', 'role', 'belief', 'bodySense', 'feelingToward', 'fears', 'needs', 'notes',
  'feltAge', 'triggers', 'hopes', 'relations', 'visits'];

export async function parts() {
  const data = await openList('part', await request('GET', '/api/parts'));
  partIds = new Set((data.parts || []).map((p) => p.id));
  return data;
}

export async function savePart(id, body) {
  const content = {};
  for (const key of PART_FIELDS) if (body[key] !== undefined) content[key] = body[key];
  if (content.role === '') delete content.role;
  const p = partProblem(content);
  if (p) throw invalid(p);
  const sealed = await vault.seal('part', id, content);
  const saved = await put('part', id, withVersion({ sealed }, body.version));
  if (partIds) partIds.add(id);
  return saved;
}

export function forgetPart(id) {
  if (partIds) partIds.delete(id);
}

// ---------------------------------------------------------------- check-ins

export async function checkins(query = '') {
  return openList('checkin', await request('GET', `/api/checkins${query}`));
}

export async function saveCheckin(id, { emotions, intensity, note, at, version }) {
  const content = { emotions: emotions || [], intensity, note: note || '' };
  const p = checkinProblem(content);
  if (p) throw invalid(p);
  const sealed = await vault.seal('checkin', id, content);
  return put('checkin', id, withVersion({ at: at || new Date().toISOString(), sealed }, version));
}

export async function checkin(id) {
  return openItem('checkin', await request('GET', `/api/checkins/${enc(id)}`));
}

export function deleteCheckin(id) {
  return request('DELETE', `/api/checkins/${enc(id)}`);
}

// ---------------------------------------------------------------- follow-ups and offers to oneself

/** Everything inside the envelope: {type:"offer"|"revisit", text, dueAt, done, doneAt, reflectionId, exerciseId, stepId}. */
const FOLLOWUP_FIELDS = ['type', 'text', 'dueAt', 'done', 'doneAt', 'reflectionId', 'exerciseId', 'stepId'];

export async function followups() {
  return openList('followup', await request('GET', '/api/followups'));
}

export async function saveFollowup(id, body) {
  const content = {};
  for (const key of FOLLOWUP_FIELDS) if (body[key] !== undefined && body[key] !== null) content[key] = body[key];
  content.done = Boolean(content.done);
  const p = followupProblem(content);
  if (p) throw invalid(p);
  const sealed = await vault.seal('followup', id, content);
  return put('followup', id, withVersion({ sealed }, body.version));
}

export function deleteFollowup(id) {
  return request('DELETE', `/api/followups/${enc(id)}`);
}

// ---------------------------------------------------------------- kept words

export async function kept() {
  return openList('kept', await request('GET', '/api/kept'));
}

export async function saveKept(id, content, version) {
  const sealed = await vault.seal('kept', id, content);
  return put('kept', id, withVersion({ sealed }, version));
}

export function deleteKept(id) {
  return request('DELETE', `/api/kept/${enc(id)}`);
}

// ---------------------------------------------------------------- live events

const SAVED = { 'reflection.saved': 'reflection', 'part.saved': 'part', 'checkin.saved': 'checkin', 'kept.saved': 'kept', 'followup.saved': 'followup' };

/**
 * A self-stream event as the views want it: its sealed object opened. An event without `sealed`
 * (history cut down to ids) is fetched again over HTTP; one whose item is gone answers null.
 */
export async function openEvent(msg) {
  const kind = SAVED[msg.kind];
  if (msg.stream !== 'self' || !kind || !msg.data || !msg.data.id) return msg;
  if (msg.data.sealed) return { ...msg, data: await openItem(kind, msg.data) };
  try {
    const item = await request('GET', `/api/${ROUTE[kind]}/${enc(msg.data.id)}`);
    return { ...msg, data: await openItem(kind, item) };
  } catch (e) {
    if (e && e.status === 404) return null;
    throw e;
  }
}

// ---------------------------------------------------------------- legacy work and kept words

function sealedBody(item, sealed) {
  switch (item.kind) {
    case 'reflection': return { exerciseId: item.exerciseId, status: item.status, sealed, version: item.version };
    case 'checkin': return { at: item.at, sealed, version: item.version };
    default: return { sealed, version: item.version };
  }
}

/**
 * Seals every item the server still holds readable (legacy work, kept words) and then tells the
 * server it may destroy its key. Safe to interrupt: the next run picks up what is left.
 * progress(done, total) is called as it goes.
 */
export async function secureUnsealed(progress = () => {}) {
  for (let round = 0; round < 5; round += 1) {
    const data = await request('GET', '/api/me/unsealed');
    const items = (data && Array.isArray(data.items) ? data.items : []).filter((x) => ROUTE[x.kind] && x.id);
    let done = 0;
    progress(done, items.length);
    for (const item of items) {
      const sealed = await vault.seal(item.kind, item.id, item.content);
      try {
        await request('PUT', `/api/${ROUTE[item.kind]}/${enc(item.id)}`, sealedBody(item, sealed));
      } catch (e) {
        // Changed or deleted in the meantime: the next round sees how it is now.
        if (!(e && (e.code === 'version_conflict' || e.status === 404))) throw e;
      }
      done += 1;
      progress(done, items.length);
    }
    try {
      await request('POST', '/api/me/unsealed/finish', {});
      return true;
    } catch (e) {
      if (!(e && e.code === 'unsealed_pending')) throw e;
    }
  }
  return false;
}

// ---------------------------------------------------------------- export

const EXPORT_KINDS = { reflections: 'reflection', parts: 'part', checkins: 'checkin', kept: 'kept', followups: 'followup' };

/** The export file opened: private work with its words, without envelopes or the wrapped vault key. */
export async function openExport(data) {
  const out = { ...data };
  delete out.vault;
  const walk = async (obj) => {
    for (const [key, kind] of Object.entries(EXPORT_KINDS)) {
      if (Array.isArray(obj[key])) {
        obj[key] = await Promise.all(obj[key].map(async (x) => {
          const opened = await openItem(kind, x);
          if (opened && opened.sealedError) return { ...opened, sealedError: undefined, unreadable: SEALED_ERROR_MESSAGE };
          return opened;
        }));
      }
    }
  };
  await walk(out);
  for (const value of Object.values(out)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      // A nested section ({private:{reflections:[…]}}, say).
      const copy = { ...value };
      await walk(copy);
      out[Object.keys(out).find((k) => out[k] === value)] = copy;
    }
  }
  return out;
}
