// One WebSocket per tab to /api/ws. Keeps the last seen sequence number of
// each stream in memory, resumes from it after every reconnect, drops
// duplicates, and re-resumes when it notices a gap (see API.md, "Real-time").
//
// Events dispatched:
//   'state'     detail {state: 'live'|'reconnecting'|'offline', label}
//   'event'     detail {stream, seq, kind, data, at}; self-stream items arrive opened (private.js),
//               in order, so views see plain objects as they do over HTTP
//   'resync'    detail {stream}   the view should reload that stream over HTTP
//   'presence'  detail {userId, online}
//   'focus'     detail {userId, reviewId, shareId}
//   'welcome'   detail (the welcome message)
//   'sessionended'                socket closed with 4401

import { openEvent } from './private.js';

const LABELS = {
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — changes will sync',
};

const PING_EVERY_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30000;

export class Realtime extends EventTarget {
  constructor() {
    super();
    this.socket = null;
    this.running = false;
    this.synced = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.userId = null;
    this.coupleId = undefined;
    this.last = { self: null, couple: null };
    this.heads = { self: 0, couple: 0 };
    this.resyncing = false;
    // Events wait here while their sealed data is opened, so they still reach views in order.
    this.delivery = Promise.resolve();
    this.state = navigator.onLine ? 'reconnecting' : 'offline';
    window.addEventListener('online', () => { this.updateState(); if (this.running) this.connectNow(); });
    window.addEventListener('offline', () => this.goneOffline());
  }

  get label() { return LABELS[this.state]; }

  /**
   * The browser says there is no network. A socket can look open for minutes after that (nothing
   * tells TCP it is dead), so drop it now and resume from the last seen seq once 'online' fires.
   * navigator.onLine === false is reliable in browsers; a slow retry still runs in case it is not.
   */
  goneOffline() {
    if (this.running && this.socket) this.closeSocket();
    this.updateState();
    this.scheduleReconnect();
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Ends the session's socket and forgets everything (sign-out, account deleted). */
  stop() {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.closeSocket();
    this.userId = null;
    this.coupleId = undefined;
    this.last = { self: null, couple: null };
    this.updateState();
  }

  /** Reconnects at once, e.g. after pairing changed so the welcome names the new couple. */
  restart() {
    if (!this.running) return;
    this.closeSocket();
    this.connectNow();
  }

  connectNow() {
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.socket) this.connect();
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  connect() {
    if (!this.running || this.socket) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${proto}//${location.host}/api/ws`);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    this.synced = false;
    this.updateState();
    ws.addEventListener('message', (e) => { if (this.socket === ws) this.onMessage(e.data); });
    ws.addEventListener('close', (e) => { if (this.socket === ws) this.onClose(e); });
    ws.addEventListener('error', () => { /* a close event follows */ });
  }

  closeSocket() {
    const ws = this.socket;
    this.socket = null;
    this.synced = false;
    this.stopHeartbeat();
    if (ws) {
      try { ws.close(1000, 'bye'); } catch { /* already closed */ }
    }
  }

  onClose(e) {
    this.socket = null;
    this.synced = false;
    this.stopHeartbeat();
    if (e.code === 4401) {
      this.running = false;
      this.updateState();
      this.dispatchEvent(new Event('sessionended'));
      return;
    }
    this.updateState();
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    // Exponential backoff with jitter so a restarted server is not stampeded.
    const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    // Offline, the 'online' event reconnects at once; until then only an occasional try.
    const delay = navigator.onLine ? cap / 2 + Math.random() * (cap / 2) : BACKOFF_MAX_MS;
    this.attempt = Math.min(this.attempt + 1, 10);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // No pong: the connection is dead even if the browser has not noticed.
        const ws = this.socket;
        this.socket = null;
        try { ws && ws.close(); } catch { /* ignore */ }
        this.synced = false;
        this.stopHeartbeat();
        this.updateState();
        this.scheduleReconnect();
      }, PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  stopHeartbeat() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  updateState() {
    let state;
    if (!navigator.onLine) state = 'offline';
    else if (this.socket && this.synced) state = 'live';
    else state = 'reconnecting';
    if (state !== this.state) {
      this.state = state;
      this.emit('state', { state, label: LABELS[state] });
    }
  }

  emit(type, detail) {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }));
    } catch (e) {
      // A listener's bug must never take the connection down.
      console.error(e);
    }
  }

  onMessage(raw) {
    let msg;
    try { msg = JSON.parse(raw); } catch { return; }
    if (!msg || typeof msg !== 'object') return;
    try {
      switch (msg.type) {
        case 'welcome': this.onWelcome(msg); break;
        case 'event': this.onEvent(msg); break;
        case 'synced':
          this.synced = true;
          this.resyncing = false;
          this.attempt = 0;
          if (this.missed) {
            // Something went missing while a replay was under way: ask once more.
            this.missed = false;
            this.resyncing = true;
            this.send({ type: 'resume', self: this.last.self, couple: this.last.couple });
          }
          this.updateState();
          break;
        case 'reset': this.onReset(msg); break;
        case 'presence': this.emit('presence', msg); break;
        case 'focus': this.emit('focus', msg); break;
        case 'pong': clearTimeout(this.pongTimer); break;
        case 'error': console.warn('realtime:', msg.code, msg.message); break;
        default: break; // unknown messages are ignored, never fatal
      }
    } catch (e) {
      console.error('realtime: could not handle a message', e);
    }
  }

  onWelcome(msg) {
    const heads = {
      self: Number(msg.heads && msg.heads.self) || 0,
      couple: Number(msg.heads && msg.heads.couple) || 0,
    };
    this.heads = heads;
    const resync = [];
    const coupleId = msg.coupleId || null;
    if (this.userId !== msg.userId || this.last.self === null) {
      // First connect of this session: start from the heads; views load over HTTP.
      this.last = { self: heads.self, couple: heads.couple };
    } else if (this.coupleId !== coupleId) {
      // Paired, left or re-paired while away: that's a new couple stream.
      this.last.couple = heads.couple;
      resync.push('couple');
    } else if (this.last.couple === null) {
      this.last.couple = heads.couple;
    }
    this.userId = msg.userId;
    this.coupleId = coupleId;
    this.resets = 0;
    this.missed = false;
    this.resyncing = true;
    this.send({ type: 'resume', self: this.last.self, couple: this.last.couple });
    this.startHeartbeat();
    this.emit('welcome', msg);
    if (typeof msg.partnerOnline === 'boolean') this.emit('presence', { userId: null, online: msg.partnerOnline });
    for (const stream of resync) this.emit('resync', { stream });
  }

  onReset(msg) {
    const stream = msg.stream;
    if (stream !== 'self' && stream !== 'couple') return;
    this.resets = (this.resets || 0) + 1;
    const given = [msg.head, msg.seq].find((v) => typeof v === 'number');
    // Continue from the head we were given; if resets keep coming, accept the next seq as it is.
    this.last[stream] = given !== undefined ? given : (this.resets > 3 ? null : this.heads[stream]);
    this.emit('resync', { stream });
  }

  onEvent(msg) {
    const stream = msg.stream;
    if (stream !== 'self' && stream !== 'couple') return;
    const seq = Number(msg.seq);
    const last = this.last[stream];
    if (Number.isFinite(seq) && last !== null) {
      if (seq <= last) return; // already seen: exactly once
      if (seq > last + 1) {
        // A gap (e.g. a node dropped a bus message): ask for the missing part again.
        if (!this.resyncing) {
          this.resyncing = true;
          this.send({ type: 'resume', self: this.last.self, couple: this.last.couple });
        } else {
          this.missed = true;
        }
        return;
      }
    }
    if (Number.isFinite(seq)) this.last[stream] = seq;
    if (msg.kind === 'couple.dissolved') {
      // The stream ends here; a new pairing starts a new stream at 1.
      this.last.couple = 0;
      this.coupleId = null;
    }
    this.deliver(msg);
  }

  deliver(msg) {
    this.delivery = this.delivery.then(async () => {
      if (!this.running) return;
      let out = msg;
      try {
        out = await openEvent(msg);
      } catch (e) {
        // Could not fetch it again right now: the views reload that stream instead.
        console.warn('realtime: could not open an event', e && e.message);
        this.emit('resync', { stream: msg.stream });
        return;
      }
      if (out) this.emit('event', out);
    });
  }
}

export const realtime = new Realtime();

/** Subscribes to realtime events of some kinds; returns the unsubscribe function. */
export function onEvents(kinds, fn) {
  const want = new Set(kinds);
  const handler = (e) => {
    const msg = e.detail;
    if (!want.has(msg.kind) && !want.has(`${msg.stream}.*`)) return;
    try { fn(msg); } catch (err) { console.error(err); }
  };
  realtime.addEventListener('event', handler);
  return () => realtime.removeEventListener('event', handler);
}

/** Calls fn when the given stream must be reloaded over HTTP. */
export function onResync(streams, fn) {
  const want = new Set(streams);
  const handler = (e) => { if (want.has(e.detail.stream)) fn(e.detail.stream); };
  realtime.addEventListener('resync', handler);
  return () => realtime.removeEventListener('resync', handler);
}
