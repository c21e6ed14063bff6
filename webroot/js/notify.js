// Staying in touch (issue #16): what the partner added since I last looked, the same on every
// device. Keeps the count in the navigation and the page title, marks new items in the joint space,
// announces arrivals quietly (the polite live region, no sound), and tells the server what I have
// seen. Events: 'change' detail {count, shares, replies, reviews}.
import { api } from './api.js';
import { realtime } from './realtime.js';
import { announce } from './ui.js';

const COUPLE_KINDS = new Set(['share.created', 'response.created', 'review.started', 'review.updated']);

class Unread extends EventTarget {
  constructor() {
    super();
    this.state = { count: 0, head: 0, shares: [], replies: [], reviews: [], checkinDue: false, remindersDue: [] };
    this.baseTitle = document.title;
    this.loading = null;
  }

  start() {
    if (this.started) return;
    this.started = true;
    realtime.addEventListener('event', (e) => {
      const msg = e.detail;
      if (msg.stream === 'couple' && COUPLE_KINDS.has(msg.kind)) this.refresh(true);
      else if (msg.kind === 'seen.updated' || msg.kind === 'share.withdrawn' || msg.kind === 'couple.dissolved') this.refresh(false);
    });
    realtime.addEventListener('welcome', () => this.refresh(false));
    this.refresh(false);
  }

  async refresh(arrived) {
    let next;
    try {
      next = await api.get('/api/me/unread');
    } catch {
      return;
    }
    const before = this.state.count;
    this.state = next;
    this.render();
    if (arrived && next.count > before && !onJointSpace()) {
      announce(next.count === 1 ? 'Something new arrived in your joint space.' : `${next.count} new things in your joint space.`);
    }
    this.dispatchEvent(new CustomEvent('change', { detail: next }));
    if (onJointSpace()) this.markJointSeen();
  }

  /** Called by the router after each page: keeps "(2) " in front of the page's own title. */
  applyTitle() {
    this.baseTitle = document.title.replace(/^\(\d+\) /, '');
    this.render();
  }

  render() {
    const { count } = this.state;
    document.title = count > 0 ? `(${count}) ${this.baseTitle.replace(/^\(\d+\) /, '')}` : this.baseTitle.replace(/^\(\d+\) /, '');
    const link = document.querySelector('[data-nav="joint"]');
    if (link) {
      let badge = link.querySelector('[data-testid="unread-count"]');
      if (count > 0) {
        if (!badge) {
          badge = document.createElement('span');
          badge.className = 'badge badge-unread';
          badge.setAttribute('data-testid', 'unread-count');
          link.appendChild(document.createTextNode(' '));
          link.appendChild(badge);
        }
        badge.textContent = String(count);
        badge.setAttribute('aria-label', count === 1 ? '1 new' : `${count} new`);
      } else if (badge) {
        badge.remove();
      }
    }
    this.markCards();
  }

  /** Marks the share cards on screen that are new or have new replies. */
  markCards() {
    const fresh = new Set([...this.state.shares, ...this.state.replies]);
    for (const card of document.querySelectorAll('[data-testid="share-card"][data-share-id]')) {
      const id = card.getAttribute('data-share-id');
      let marker = card.querySelector(':scope > [data-testid="unread-marker"]');
      if (this.shown && this.shown.has(id)) continue; // stays marked while I look at it
      if (fresh.has(id) && !marker) {
        marker = document.createElement('span');
        marker.className = 'badge badge-unread';
        marker.setAttribute('data-testid', 'unread-marker');
        marker.textContent = this.state.shares.includes(id) ? 'New' : 'New reply';
        card.prepend(marker);
      } else if (!fresh.has(id) && marker) {
        marker.remove();
      }
    }
  }

  /**
   * On the joint space, what is on screen counts as seen (the markers stay until I leave), and the
   * shares on screen count as opened for receipts (the server keeps that only if I turned them on).
   */
  async markJointSeen() {
    this.shown = new Set([...this.state.shares, ...this.state.replies]);
    const opened = [...document.querySelectorAll('[data-testid="share-card"][data-share-id]')]
      .map((c) => c.getAttribute('data-share-id')).slice(0, 100);
    if (!this.state.head && opened.length === 0) return;
    try {
      await api.put('/api/me/seen', { couple: this.state.head, opened });
    } catch { /* seen again next time */ }
  }

  /** Signed out: nothing to count. */
  reset() {
    this.state = { count: 0, head: 0, shares: [], replies: [], reviews: [], checkinDue: false, remindersDue: [] };
    this.applyTitle();
  }

  /** On my own shares, "Seen" when my partner opened them, only when we both turned receipts on. */
  async showReceipts() {
    let answer;
    try {
      answer = await api.get('/api/me/receipts');
    } catch {
      return;
    }
    if (!answer.enabled) return;
    const opened = new Map(answer.receipts.map((r) => [r.shareId, r.openedAt]));
    for (const card of document.querySelectorAll('[data-testid="share-card"][data-share-id]')) {
      const id = card.getAttribute('data-share-id');
      if (!opened.has(id) || card.querySelector('[data-testid="seen-receipt"]')) continue;
      const mark = document.createElement('span');
      mark.className = 'badge badge-seen';
      mark.setAttribute('data-testid', 'seen-receipt');
      mark.textContent = 'Seen';
      card.appendChild(mark);
    }
  }

  /** The router tells us the page changed. */
  routed(name) {
    if (!this.started) this.start();
    this.shown = null;
    this.applyTitle();
    if (name === 'joint') {
      // The view renders its cards after loading; mark and record once they are there.
      const main = document.querySelector('[data-view="main"]');
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-testid="share-card"]')) {
          observer.disconnect();
          this.markCards();
          this.markJointSeen();
          this.showReceipts();
        }
      });
      observer.observe(main, { childList: true, subtree: true });
      setTimeout(() => observer.disconnect(), 10000);
      if (document.querySelector('[data-testid="share-card"]')) { this.markCards(); this.markJointSeen(); this.showReceipts(); }
    }
  }
}

function onJointSpace() {
  return document.querySelector('[data-view="main"]')?.getAttribute('data-route') === 'joint';
}

export const unread = new Unread();
