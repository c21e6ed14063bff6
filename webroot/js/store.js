// Small observable stores (EventTarget + 'change'). Everything lives in
// memory only: nothing private or shared is ever written to browser storage (the one exception,
// the session-sealed vault key of vault.js, opens only together with the live session).
import { api, listOf } from './api.js';

export class Store extends EventTarget {
  constructor(state) {
    super();
    this.state = state;
  }
  set(patch) {
    this.state = { ...this.state, ...patch };
    this.dispatchEvent(new Event('change'));
  }
  /** Subscribes and returns the unsubscribe function (handy for view cleanup). */
  watch(fn) {
    this.addEventListener('change', fn);
    return () => this.removeEventListener('change', fn);
  }
}

function newestFirst(a, b) {
  const ca = a.createdAt || '';
  const cb = b.createdAt || '';
  if (ca !== cb) return ca < cb ? 1 : -1;
  return String(a.id) < String(b.id) ? 1 : String(a.id) > String(b.id) ? -1 : 0;
}

/** A keyed collection sorted newest first, as the contract sorts lists. */
export class CollectionStore extends EventTarget {
  constructor(compare = newestFirst) {
    super();
    this.items = new Map();
    this.compare = compare;
    this.marks = new Set();
  }
  changed(detail) { this.dispatchEvent(new CustomEvent('change', { detail })); }
  /**
   * Call before fetching a list meant for {@link replace}: changes that arrive while the list is on
   * the way (a live event overtaking a slower response) are recorded and re-applied on top of it.
   */
  mark() {
    const mark = { ops: [] };
    this.marks.add(mark);
    return mark;
  }
  /** Drops a mark whose fetch failed. */
  forget(mark) { this.marks.delete(mark); }
  replace(list, mark) {
    this.items = new Map(list.filter((x) => x && x.id).map((x) => [x.id, x]));
    if (mark) {
      this.marks.delete(mark);
      for (const op of mark.ops) {
        if (op.remove) this.items.delete(op.id);
        else this.put(op.item);
      }
    }
    this.changed({ type: 'replace' });
  }
  /** Adds or updates; an older version never overwrites a newer one. */
  upsert(item, meta = {}) {
    if (!item || !item.id) return false;
    for (const mark of this.marks) mark.ops.push({ item });
    const old = this.items.get(item.id);
    if (!this.put(item)) return false;
    this.changed({ type: old ? 'update' : 'add', id: item.id, ...meta });
    return true;
  }
  put(item) {
    const old = this.items.get(item.id);
    if (old && typeof old.version === 'number' && typeof item.version === 'number' && item.version < old.version) {
      return false;
    }
    this.items.set(item.id, old ? { ...old, ...item } : item);
    return true;
  }
  remove(id) {
    for (const mark of this.marks) mark.ops.push({ remove: true, id });
    if (!this.items.delete(id)) return false;
    this.changed({ type: 'remove', id });
    return true;
  }
  get(id) { return this.items.get(id); }
  has(id) { return this.items.has(id); }
  get size() { return this.items.size; }
  list() { return [...this.items.values()].sort(this.compare); }
  watch(fn) {
    this.addEventListener('change', fn);
    return () => this.removeEventListener('change', fn);
  }
}

/** Who is signed in, their couple (or null) and whether the partner is online. */
export const session = new Store({ user: null, couple: null, partnerOnline: false, ending: null, vault: null, unsealed: false });

export function me() { return session.state.user; }
export function couple() { return session.state.couple; }
export function partner() {
  const { user, couple: c } = session.state;
  if (!user || !c || !Array.isArray(c.members)) return null;
  return c.members.find((m) => m.id !== user.id) || null;
}
export function partnerName() {
  const p = partner();
  return (p && p.displayName) || 'your partner';
}
/** "You" for the signed-in person, otherwise the member's display name. */
export function nameOf(userId) {
  const { user, couple: c } = session.state;
  if (user && userId === user.id) return 'You';
  const m = c && Array.isArray(c.members) ? c.members.find((x) => x.id === userId) : null;
  return (m && m.displayName) || 'Your partner';
}

export async function refreshSession() {
  const data = await api.me();
  // vault is the wrapped vault key (opened only with the password); ending the notice after a
  // partner left; unsealed says there is work this client still has to seal (docs/ENCRYPTION.md).
  const patch = {
    user: data.user, couple: data.couple || null, vault: data.vault || null,
    ending: data.ending || null, unsealed: Boolean(data.unsealed),
  };
  if (!patch.couple) patch.partnerOnline = false;
  session.set(patch);
  return data;
}

export function clearSession() {
  session.set({ user: null, couple: null, partnerOnline: false, ending: null, vault: null, unsealed: false });
  catalog.reset();
}

/** The exercise catalog is the same for everyone; loaded once per page. */
export const catalog = {
  promise: null,
  byId: new Map(),
  load() {
    if (!this.promise) {
      this.promise = api.exercises().then((data) => {
        const list = listOf(data, 'exercises');
        this.byId = new Map(list.map((x) => [x.id, x]));
        return list;
      }).catch((e) => { this.promise = null; throw e; });
    }
    return this.promise;
  },
  async exercise(id) {
    await this.load().catch(() => null);
    const known = this.byId.get(id);
    if (known && Array.isArray(known.steps) && known.steps.length) return known;
    const full = await api.exercise(id);
    this.byId.set(full.id, full);
    return full;
  },
  /**
   * The questions a share's excerpts answered, by step id. A share names step ids but not its
   * exercise (the reflection stays private), and several exercises reuse step ids with different
   * wording, so the exercises holding all of the share's steps decide; a step keeps no caption
   * when they disagree on its prompt.
   */
  promptsFor(stepIds) {
    const ids = [...new Set((stepIds || []).filter(Boolean))];
    const out = new Map();
    if (!ids.length) return out;
    const all = [...this.byId.values()];
    const has = (ex, id) => (ex.steps || []).some((st) => st.id === id);
    const fitting = all.filter((ex) => ids.every((id) => has(ex, id)));
    for (const id of ids) {
      const pool = fitting.length ? fitting : all.filter((ex) => has(ex, id));
      const prompts = new Set(pool.flatMap((ex) => ex.steps.filter((st) => st.id === id).map((st) => st.prompt)));
      if (prompts.size === 1) out.set(id, [...prompts][0]);
    }
    return out;
  },
  reset() { this.promise = null; this.byId = new Map(); },
};

export const PRACTICES = [
  { id: 'mirror', title: 'Recognize the mirror', blurb: 'Start from a recent moment of disconnection and gently look at what your reaction shows you about yourself. This is about awareness, never blame.' },
  { id: 'parts', title: 'Turn toward your parts', blurb: 'Notice the inner part that is loudest right now, get to know it with curiosity, and ask what it needs from you.' },
  { id: 'data', title: 'Disconnection as information', blurb: 'Find the longing underneath the distance, and one small way to offer it to yourself this week.' },
  { id: 'trust', title: 'Decide from inner trust', blurb: 'Facing a choice? Hear what fear would choose, what calm would choose, and find your next small step.' },
  { id: 'free', title: 'Free reflection', blurb: 'A blank page, just for you.' },
  { id: 'checkin', title: 'Check in with yourself', blurb: 'A short pause to name what you feel and how strongly.' },
];

export const INTENTS = {
  listen: 'Just listen',
  respond: "I'd like a response",
  discuss: "Let's take this to counseling",
};

export const ACKS = {
  hear_you: 'I hear you',
  thank_you: 'Thank you for telling me',
  understand_more: "I'd like to understand more",
};

export const ROLES = {
  manager: 'Manager',
  firefighter: 'Firefighter',
  exile: 'Exile',
  unsure: 'Not sure yet',
};

export const COMMON_EMOTIONS = ['calm', 'content', 'hopeful', 'grateful', 'tender', 'lonely', 'sad', 'hurt',
  'anxious', 'frustrated', 'angry', 'ashamed', 'numb', 'overwhelmed'];
