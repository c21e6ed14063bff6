// Staying in touch (issue #16): what the partner added since I last looked, the same on every
// device. Keeps a calm count in the navigation and the page title, marks new items in the joint
// space, announces arrivals quietly (the polite live region, no sound), and tells the server what I
// have seen. Events: 'change' detail {count, shares, replies, reviews}.
//
// The joint space view calls jointRendered(view) after each render, so markers, receipts and "seen"
// follow what is really on screen (never a guess about when cards appear). Looking at the joint space
// counts as having seen everything up to the stream head (new shares, replies, and the notice of a
// changed review shown there); the review page counts as seen only when nothing else is waiting.
import { api } from './api.js';
import { realtime } from './realtime.js';
import { announce } from './ui.js';

const COUPLE_KINDS = new Set(['share.created', 'response.created', 'review.started', 'review.updated']);
const EMPTY = { count: 0, seen: 0, head: 0, shares: [], replies: [], reviews: [], checkinDue: false, remindersDue: [] };

class Unread extends EventTarget {
  constructor() {
    super();
    this.state = { ...EMPTY };
    this.baseTitle = document.title;
    this.route = null;
    /** The joint space view on screen once it has rendered its shares, else null. */
    this.joint = null;
    /** Ids marked as new on this visit of the joint space: they stay marked until I leave. */
    this.shown = new Set();
    /** Ids already told to the server as opened on this visit. */
    this.opened = new Set();
    this.reviewShown = false;
    this.asked = 0;
    this.receiptsAsked = false;
  }

  start() {
    if (this.started) return;
    this.started = true;
    realtime.addEventListener('event', (e) => {
      const msg = e.detail;
      if (msg.stream === 'couple' && COUPLE_KINDS.has(msg.kind)) this.refresh(true);
      else if (msg.kind === 'seen.updated' || msg.kind === 'share.withdrawn' || msg.kind === 'couple.dissolved'
        || msg.kind === 'couple.joined') this.refresh(false);
    });
    realtime.addEventListener('welcome', () => this.refresh(false));
    this.refresh(false);
  }

  async refresh(arrived) {
    // Answers can overtake each other: only the latest question's answer counts.
    const asked = ++this.asked;
    let next;
    try {
      next = await api.get('/api/me/unread');
    } catch {
      return;
    }
    if (asked !== this.asked || !this.started) return;
    const before = this.state.count;
    this.state = { ...EMPTY, ...next };
    this.render();
    if (arrived && next.count > before && !this.onJointSpace()) {
      announce(next.count === 1 ? 'Something new arrived in your joint space.' : `${next.count} new things in your joint space.`);
    }
    this.dispatchEvent(new CustomEvent('change', { detail: this.state }));
    this.markSeenHere();
  }

  onJointSpace() {
    return this.route === 'joint' && onRoute('joint');
  }

  /** Called by the router after each page: keeps "(2) " in front of the page's own title. */
  applyTitle() {
    this.baseTitle = stripCount(document.title);
    this.render();
  }

  render() {
    const { count } = this.state;
    document.title = count > 0 ? `(${count}) ${stripCount(this.baseTitle)}` : stripCount(this.baseTitle);
    // In the navigation, and on the menu button that hides it on small screens.
    setBadge(document.querySelector('[data-nav="joint"]'), 'unread-count', count);
    setBadge(document.querySelector('[data-action="toggle-nav"]'), 'unread-count-menu', count);
    this.markJoint();
  }

  /** The joint space view rendered (first load, a live change, a reload): mark, record seen, show receipts. */
  jointRendered(view) {
    if (this.route !== 'joint') return;
    this.joint = view;
    this.markJoint();
    this.markSeenHere();
    if (!this.receiptsAsked) {
      this.receiptsAsked = true;
      this.showReceipts();
    }
  }

  /** Marks what is new on the joint space's cards, and the notice of a changed review. */
  markJoint() {
    if (!this.joint || !this.onJointSpace()) return;
    const { shares, replies, reviews } = this.state;
    for (const id of [...shares, ...replies]) this.shown.add(id);
    for (const card of this.joint.cards.values()) {
      const id = card.share.id;
      const slot = card.notices;
      let marker = slot.querySelector('[data-testid="unread-marker"]');
      if (!this.shown.has(id)) {
        if (marker) marker.remove();
      } else {
        if (!marker) {
          marker = badge('badge badge-unread', 'unread-marker');
          slot.prepend(marker);
        }
        const kind = shares.includes(id) || marker.getAttribute('data-kind') === 'share' ? 'share' : 'reply';
        marker.setAttribute('data-kind', kind);
        marker.textContent = kind === 'share' ? 'New' : 'New reply';
      }
      slot.hidden = slot.childElementCount === 0;
    }
    if (reviews.length > 0) this.reviewShown = true;
    const notices = this.joint.notices;
    let notice = notices.querySelector('[data-testid="review-unread"]');
    if (this.reviewShown && !notice) {
      const link = document.createElement('a');
      link.href = '#/review';
      link.textContent = 'See the joint review';
      notice = document.createElement('p');
      notice.className = 'card notice';
      notice.setAttribute('data-testid', 'review-unread');
      notice.append(badge('badge badge-unread', null, 'New'), ' Your partner changed your joint review. ', link);
      notices.appendChild(notice);
    }
  }

  /**
   * What is on screen counts as seen: on the joint space once its shares are shown (and the shares
   * there count as opened, which the server keeps only when I turned receipts on); on the review
   * page when only review changes were waiting.
   */
  async markSeenHere() {
    const { head, seen, shares, replies, reviews } = this.state;
    let body = null;
    if (this.onJointSpace() && this.joint) {
      const opened = [...this.joint.cards.keys()].slice(0, 100).filter((id) => !this.opened.has(id));
      if (head > seen || opened.length > 0) body = { couple: head, opened };
      for (const id of opened) this.opened.add(id);
    } else if (this.route === 'review' && onRoute('review') && reviews.length > 0 && shares.length === 0 && replies.length === 0 && head > seen) {
      body = { couple: head };
    }
    if (!body) return;
    try {
      await api.put('/api/me/seen', body);
    } catch { /* seen again next time */ }
  }

  /** Signed out: nothing to count. */
  reset() {
    this.asked++;
    this.state = { ...EMPTY };
    this.route = null;
    this.joint = null;
    this.applyTitle();
  }

  /** On my own shares, "Opened" when my partner opened them, only when we both turned receipts on. */
  async showReceipts() {
    let answer;
    try {
      answer = await api.get('/api/me/receipts');
    } catch {
      return;
    }
    if (!answer.enabled || !this.joint || !this.onJointSpace()) return;
    const opened = new Map(answer.receipts.map((r) => [r.shareId, r.openedAt]));
    for (const card of this.joint.cards.values()) {
      const at = opened.get(card.share.id);
      const slot = card.notices;
      if (!at || slot.querySelector('[data-testid="seen-receipt"]')) continue;
      const mark = badge('badge badge-seen', 'seen-receipt', 'Opened');
      const when = new Date(at);
      if (!Number.isNaN(when.getTime())) mark.title = `Opened ${when.toLocaleString()}`;
      slot.appendChild(mark);
      slot.hidden = false;
    }
  }

  /** The router tells us the page changed. */
  routed(name) {
    if (!this.started) this.start();
    this.route = name;
    this.joint = null;
    this.shown = new Set();
    this.opened = new Set();
    this.reviewShown = false;
    this.receiptsAsked = false;
    this.applyTitle();
    if (name === 'review') this.markSeenHere();
  }
}

function stripCount(title) {
  return title.replace(/^\(\d+\) /, '');
}

function onRoute(name) {
  return document.querySelector('[data-view="main"]')?.getAttribute('data-route') === name;
}

function badge(className, testid, text) {
  const el = document.createElement('span');
  el.className = className;
  if (testid) el.setAttribute('data-testid', testid);
  if (text) el.textContent = text;
  return el;
}

/** "2" on screen, "2 new" for a screen reader; gone at zero. */
function setBadge(host, testid, count) {
  if (!host) return;
  let el = host.querySelector(`[data-testid="${testid}"]`);
  if (count <= 0) {
    if (el) el.remove();
    return;
  }
  if (!el) {
    el = badge('badge badge-unread badge-count', testid);
    host.appendChild(el);
  }
  el.setAttribute('data-count', String(count));
  const number = document.createElement('span');
  number.textContent = String(count);
  const words = document.createElement('span');
  words.className = 'visually-hidden';
  words.textContent = ' new';
  el.replaceChildren(number, words);
}

export const unread = new Unread();
