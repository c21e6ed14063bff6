// Check-ins: a quick log of feelings and intensity, with a simple chart over time.
import { h, s, replaceChildren, uuid, fmtDateTime, fmtShort } from '../dom.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { CollectionStore, COMMON_EMOTIONS } from '../store.js';
import { pageHeader, privacyNote, loading, formError, emotionPicker, announce, field, sealedErrorNote, button, confirmDialog } from '../ui.js';
import { limitText } from '../textlimit.js';

const DAY = 24 * 60 * 60 * 1000;
const byAtDesc = (a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : (a.at < b.at ? 1 : -1));

export default {
  title: 'Check-ins',
  render(root) {
    const store = new CollectionStore(byAtDesc);
    let alive = true;
    let days = 30;
    let range = computeRange(days);

    // ---- the quick log form
    let emotions = [];
    const picker = emotionPicker({
      label: 'What are you feeling right now?',
      options: COMMON_EMOTIONS,
      testid: 'checkin-emotions',
      onChange: (list) => { emotions = list; },
    });
    const intensity = h('input', { type: 'range', min: '0', max: '10', step: '1', value: '5', 'data-testid': 'checkin-intensity' });
    const intensityOut = h('output', { class: 'scale-value', 'data-testid': 'checkin-intensity-value' }, '5');
    intensity.addEventListener('input', () => { intensityOut.textContent = intensity.value; });
    const note = h('textarea', { rows: '3', 'data-testid': 'checkin-note' });
    const noteLimit = limitText(note, { label: 'The note' });
    const err = formError('checkin-error');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'checkin-submit' }, 'Log check-in');
    const intensityField = field('How strong is it? (0 is barely there, 10 is overwhelming)', intensity);
    intensityOut.setAttribute('for', intensity.id);
    intensityField.appendChild(h('div', { class: 'scale-row' }, intensity, intensityOut));
    let pendingId = uuid(); // reused on retry so a repeated request creates nothing twice
    let editing = null;     // the check-in being edited: {id, version, at}
    const formTitle = h('h2', { id: 'checkin-form-title', tabindex: '-1' }, 'How are you, right now?');
    const cancelEdit = button('Cancel', { 'data-testid': 'checkin-cancel', hidden: true, onClick: () => resetForm(true) });
    const noteField = field('Anything you want to remember about this moment?', note, { optional: true });
    noteField.append(...noteLimit.el);
    const form = h('form', { class: 'card checkin-form', novalidate: true, 'data-testid': 'checkin-form', 'aria-labelledby': 'checkin-form-title' },
      formTitle,
      h('p', { class: 'hint' }, 'Name at least one feeling, or write a few words.'),
      picker.el,
      intensityField,
      noteField,
      err.el,
      h('div', { class: 'button-row' }, submit, cancelEdit));
    function resetForm(focus) {
      editing = null;
      picker.set([]);
      emotions = [];
      note.value = '';
      noteLimit.sync();
      intensity.value = '5';
      intensityOut.textContent = '5';
      formTitle.textContent = 'How are you, right now?';
      submit.textContent = 'Log check-in';
      cancelEdit.hidden = true;
      err.clear();
      if (focus) formTitle.focus();
    }
    function editCheckin(c) {
      editing = { id: c.id, version: c.version, at: c.at };
      emotions = [...(c.emotions || [])];
      picker.set(emotions);
      note.value = c.note || '';
      noteLimit.sync();
      intensity.value = String(c.intensity);
      intensityOut.textContent = String(c.intensity);
      formTitle.textContent = `Editing your check-in from ${fmtDateTime(c.at)}`;
      submit.textContent = 'Save changes';
      cancelEdit.hidden = false;
      err.clear();
      form.scrollIntoView({ block: 'start' });
      formTitle.focus({ preventScroll: true });
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.clear();
      submit.disabled = true;
      const wasEditing = editing;
      try {
        const body = { emotions, intensity: Number(intensity.value), note: note.value };
        const saved = wasEditing
          ? await api.saveCheckin(wasEditing.id, { ...body, at: wasEditing.at, version: wasEditing.version })
          : await api.saveCheckin(pendingId, body);
        if (!wasEditing) pendingId = uuid();
        if (inRange(saved)) store.upsert(saved);
        resetForm(false);
        announce(wasEditing ? 'Check-in changed.' : 'Check-in saved.');
      } catch (ex) {
        if (ex.code === 'version_conflict' && ex.current && wasEditing) {
          store.upsert(ex.current);
          editCheckin(ex.current);
          err.show('This check-in was changed on another device. It now shows that version; make your change again if you still want it.');
          return;
        }
        err.show(ex, { note, intensity, emotions: picker.el.querySelector('input') });
      } finally {
        submit.disabled = false;
      }
    });

    // ---- history
    const rangeSelect = h('select', { 'data-testid': 'checkin-range', value: '30' },
      h('option', { value: '7' }, 'Last 7 days'),
      h('option', { value: '30' }, 'Last 30 days'),
      h('option', { value: '90' }, 'Last 90 days'));
    const chart = h('div', { class: 'chart', 'data-testid': 'checkin-chart' });
    const list = h('ul', { class: 'item-list', 'data-testid': 'checkin-list' });
    const listErr = formError('checkins-error');
    const history = h('div', { class: 'stack' }, loading());

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Check-ins', 'A short pause to notice what you feel. Over time you can see how it moves.'),
      privacyNote(),
      form,
      h('section', { class: 'card', 'aria-labelledby': 'checkin-history-title' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'checkin-history-title' }, 'Over time'),
          h('form', { class: 'filters', onSubmit: (e) => e.preventDefault() }, field('Period', rangeSelect))),
        listErr.el,
        history)));

    function inRange(c) {
      const t = Date.parse(c.at);
      return Number.isFinite(t) && t >= range.from && t < range.to;
    }

    const render = () => {
      replaceChildren(history, chart, list);
      const items = store.list();
      // Measured on the container: the chart div is still empty here, and `.stack > div:empty` hides it.
      replaceChildren(chart, drawChart(items.filter((c) => !c.sealedError), range, days, history.clientWidth));
      replaceChildren(list, items.length ? items.map((c) => h('li', { class: 'list-item checkin-item', 'data-testid': 'checkin-item', 'data-checkin-id': c.id },
        c.sealedError ? [h('time', { class: 'muted small', datetime: c.at }, fmtDateTime(c.at)), sealedErrorNote(c)] : h('p', { class: 'checkin-line' },
          h('span', { class: 'intensity-pill', 'aria-label': `Intensity ${c.intensity} of 10` }, String(c.intensity)),
          h('span', null, (c.emotions || []).length ? c.emotions.join(', ') : 'No feelings named'),
          h('time', { class: 'muted small', datetime: c.at }, fmtDateTime(c.at))),
        c.note ? h('p', { class: 'snippet' }, c.note) : null,
        itemActions(c)))
        : h('li', { class: 'empty', 'data-testid': 'checkins-empty' }, 'No check-ins in this period yet.'));
    };

    function itemActions(c) {
      const when = fmtDateTime(c.at);
      return h('div', { class: 'button-row' },
        c.sealedError ? null : button('Edit', { class: 'btn-small', 'data-testid': 'checkin-edit', 'aria-label': `Edit the check-in from ${when}`, onClick: () => editCheckin(c) }),
        button('Delete', {
          kind: 'quiet-danger',
          class: 'btn-small',
          'data-testid': 'checkin-delete',
          'aria-label': `Delete the check-in from ${when}`,
          onClick: async () => {
            const ok = await confirmDialog({
              title: 'Delete this check-in?',
              message: 'It will be gone from all your devices. This cannot be undone.',
              confirmLabel: 'Delete check-in',
              danger: true,
              testid: 'confirm-delete-checkin',
              returnFocus: formTitle,
              onConfirm: async () => {
                try { await api.deleteCheckin(c.id); } catch (e) { if (e.status !== 404) throw e; }
              },
            });
            if (ok) {
              store.remove(c.id);
              if (editing && editing.id === c.id) resetForm(false);
              announce('Check-in deleted.');
            }
          },
        }));
    }

    const load = async () => {
      listErr.clear();
      range = computeRange(days);
      const mark = store.mark();
      try {
        const data = await api.checkins(new Date(range.from).toISOString(), new Date(range.to).toISOString());
        if (!alive) return;
        store.replace(listOf(data, 'checkins'), mark);
      } catch (e) {
        store.forget(mark);
        if (alive) { replaceChildren(history); listErr.show(e); }
      }
    };

    rangeSelect.addEventListener('change', () => { days = Number(rangeSelect.value) || 30; load(); });
    const unwatch = store.watch(render);
    const unsub = onEvents(['checkin.saved', 'checkin.deleted'], (msg) => {
      if (msg.kind === 'checkin.deleted') { if (msg.data) store.remove(msg.data.id); return; }
      if (msg.data && inRange(msg.data)) store.upsert(msg.data);
    });
    const unresync = onResync(['self'], load);
    load();
    return () => { alive = false; unwatch(); unsub(); unresync(); };
  },
};

function computeRange(days) {
  const now = Date.now();
  // `to` is exclusive; a day ahead also covers a device whose clock runs slow.
  return { from: now - days * DAY, to: now + DAY };
}

/** An SVG line chart of intensity (0–10) over the period, built from DOM nodes. */
function drawChart(items, range, days, width) {
  // Drawn at the container's own width so labels keep a readable size on a phone.
  const W = Math.max(300, Math.min(900, width || 640)); const H = 220; const L = 34; const R = 12; const T = 12; const B = 30;
  const each = items.filter((c) => typeof c.intensity === 'number')
    .map((c) => ({ t: Date.parse(c.at), v: c.intensity, c }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  // Several check-ins on one day become one point (their average) with a bar from lowest to highest,
  // so a busy day stays one readable mark instead of a knot of dots and zigzags.
  const byDay = new Map();
  for (const p of each) {
    const d = new Date(p.t);
    const key = `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    if (!byDay.has(key)) byDay.set(key, { list: [], noon: new Date(d.getFullYear(), d.getMonth(), d.getDate(), 12).getTime() });
    byDay.get(key).list.push(p);
  }
  const daily = [...byDay.values()].map(({ list, noon }) => {
    const vs = list.map((p) => p.v);
    const avg = vs.reduce((a, v) => a + v, 0) / vs.length;
    return { t: Math.max(range.from, Math.min(noon, Date.now())), v: avg, lo: Math.min(...vs), hi: Math.max(...vs), list };
  }).sort((a, b) => a.t - b.t);
  const points = each;
  const end = Math.min(range.to, Date.now());
  const x = (t) => L + ((t - range.from) / Math.max(1, end - range.from)) * (W - L - R);
  const y = (v) => T + (1 - v / 10) * (H - T - B);
  const avg = points.length ? (points.reduce((a, p) => a + p.v, 0) / points.length) : 0;
  const summary = points.length
    ? `${points.length} check-in${points.length === 1 ? '' : 's'} in the last ${days} days. Average intensity ${avg.toFixed(1)}, highest ${Math.max(...points.map((p) => p.v))}, lowest ${Math.min(...points.map((p) => p.v))}.`
    : `No check-ins in the last ${days} days yet.`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart-svg', focusable: 'false' },
    s('title', { id: 'chart-title' }, 'Intensity of your check-ins over time'),
    s('desc', { id: 'chart-desc' }, summary),
    [0, 5, 10].map((v) => [
      s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'chart-grid' }),
      s('text', { x: L - 8, y: y(v) + 4, class: 'chart-label', 'text-anchor': 'end' }, String(v)),
    ]),
    s('text', { x: L, y: H - 8, class: 'chart-label' }, fmtShort(new Date(range.from).toISOString())),
    s('text', { x: W - R, y: H - 8, class: 'chart-label', 'text-anchor': 'end' }, 'today'),
    daily.length > 1 ? s('polyline', { points: daily.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '), class: 'chart-line' }) : null,
    daily.map((p) => [
      p.list.length > 1 ? s('line', { x1: x(p.t).toFixed(1), x2: x(p.t).toFixed(1), y1: y(p.lo).toFixed(1), y2: y(p.hi).toFixed(1), class: 'chart-range', 'data-testid': 'chart-range' }) : null,
      s('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: p.list.length > 1 ? '6' : '5', class: 'chart-dot', 'data-testid': 'chart-point', 'data-count': String(p.list.length) },
        s('title', null, p.list.length > 1
          ? `${fmtShort(p.list[0].c.at)}: ${p.list.length} check-ins, average ${p.v.toFixed(1)}, from ${p.lo} to ${p.hi}`
          : `${fmtDateTime(p.list[0].c.at)}: ${p.v}${(p.list[0].c.emotions || []).length ? ` (${p.list[0].c.emotions.join(', ')})` : ''}`)),
    ]));
  return [svg, points.length ? h('p', { class: 'muted small' }, summary) : null];
}
