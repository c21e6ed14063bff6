// The parts map as a map (issue #14): parts grouped in bands by role, relations drawn between them
// (an arrow for "protects", a dashed line for "polarized with"). Every part is a focusable node
// with a full spoken description; the list below the map says the same in words.
import { s, h } from '../dom.js';
import { ROLES } from '../store.js';

export const ROLE_ORDER = ['manager', 'firefighter', 'exile', 'unsure', ''];
export const ROLE_GROUPS = { manager: 'Managers', firefighter: 'Firefighters', exile: 'Exiles', unsure: 'Not sure yet', '': 'No role chosen yet' };
export const RELATION_LABELS = { protects: 'protects', polarized: 'is polarized with' };

const NODE_W = 150;
const NODE_H = 40;
const GAP = 14;
const BAND_LABEL = 26;

const short = (t, n) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);

/** Every relation once: "protects" as given, "polarized" once per pair. Only between parts that exist. */
export function relationsOf(parts) {
  const ids = new Set(parts.map((p) => p.id));
  const seen = new Set();
  const out = [];
  for (const p of parts) {
    for (const r of Array.isArray(p.relations) ? p.relations : []) {
      if (!ids.has(r.to) || r.to === p.id) continue;
      const key = r.kind === 'polarized' ? `pol:${[p.id, r.to].sort().join(':')}` : `pro:${p.id}:${r.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ from: p.id, to: r.to, kind: r.kind });
    }
  }
  return out;
}

/** Words for one part's relations, both ways ("Protects Little one. Polarized with The Critic."). */
export function describeRelations(part, parts) {
  const byId = new Map(parts.map((p) => [p.id, p]));
  const out = [];
  for (const r of relationsOf(parts)) {
    if (r.from !== part.id && r.to !== part.id) continue;
    const other = byId.get(r.from === part.id ? r.to : r.from);
    if (!other) continue;
    if (r.kind === 'polarized') out.push(`Polarized with ${other.name}`);
    else if (r.from === part.id) out.push(`Protects ${other.name}`);
    else out.push(`Protected by ${other.name}`);
  }
  return out;
}

/** The SVG map, drawn at `width`. onOpen(part) when a node is activated (click, Enter or Space). */
export function drawMap(parts, width, onOpen) {
  const shown = parts.filter((p) => !p.sealedError);
  const W = Math.max(300, Math.min(1000, width || 640));
  const perRow = Math.max(1, Math.floor((W - GAP) / (NODE_W + GAP)));
  const pos = new Map();
  const bands = [];
  let y = 8;
  for (const role of ROLE_ORDER) {
    const members = shown.filter((p) => (p.role || '') === role);
    if (!members.length) continue;
    const rows = Math.ceil(members.length / perRow);
    const top = y;
    members.forEach((p, i) => {
      const col = i % perRow;
      const row = Math.floor(i / perRow);
      pos.set(p.id, { x: GAP + col * (NODE_W + GAP), y: top + BAND_LABEL + row * (NODE_H + GAP) });
    });
    const height = BAND_LABEL + rows * (NODE_H + GAP);
    bands.push({ role, top, height });
    y += height + 10;
  }
  const H = Math.max(60, y);
  const center = (id) => { const p = pos.get(id); return { x: p.x + NODE_W / 2, y: p.y + NODE_H / 2 }; };
  const lines = relationsOf(shown).map((r) => {
    const a = center(r.from);
    const b = center(r.to);
    // Stop short of the target box so an arrow head stays visible.
    const dx = b.x - a.x; const dy = b.y - a.y; const len = Math.max(1, Math.hypot(dx, dy));
    const cut = Math.min(len / 2, Math.abs(dy) > Math.abs(dx) * (NODE_H / NODE_W) ? (NODE_H / 2 + 4) * len / Math.max(1, Math.abs(dy)) : (NODE_W / 2 + 4) * len / Math.max(1, Math.abs(dx)));
    const end = { x: b.x - (dx / len) * cut, y: b.y - (dy / len) * cut };
    return s('line', {
      x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: end.x.toFixed(1), y2: end.y.toFixed(1),
      class: ['map-relation', `map-${r.kind}`], 'data-testid': 'map-relation', 'data-kind': r.kind,
      'data-from': r.from, 'data-to': r.to, 'marker-end': r.kind === 'protects' ? 'url(#map-arrow)' : null,
    });
  });
  const nodes = shown.map((p) => {
    const { x, y: ny } = pos.get(p.id);
    const rel = describeRelations(p, shown);
    const label = `${p.name}, ${p.role ? ROLES[p.role] : 'no role chosen yet'}.${rel.length ? ` ${rel.join('. ')}.` : ''} Show details.`;
    const node = s('g', {
      class: 'map-node', tabindex: '0', role: 'button', 'aria-label': label,
      'data-testid': 'map-node', 'data-part-id': p.id, transform: `translate(${x} ${ny})`,
    },
    s('rect', { width: NODE_W, height: NODE_H, rx: 10, class: `map-box map-role-${p.role || 'none'}` }),
    s('text', { x: NODE_W / 2, y: NODE_H / 2 + 5, 'text-anchor': 'middle', class: 'map-name', 'aria-hidden': 'true' }, short(p.name, 18)));
    node.addEventListener('click', () => onOpen(p));
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(p); }
    });
    return node;
  });
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'parts-map-svg', role: 'group',
    'aria-labelledby': 'parts-map-title', 'data-testid': 'parts-map',
  },
  s('title', { id: 'parts-map-title' }, 'Your parts map: parts grouped by role, with how they relate'),
  s('defs', null, s('marker', { id: 'map-arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse' },
    s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'map-arrow-head' }))),
  bands.map((b) => [
    s('rect', { x: 2, y: b.top, width: W - 4, height: b.height, rx: 12, class: 'map-band' }),
    s('text', { x: GAP, y: b.top + 18, class: 'map-band-label' }, ROLE_GROUPS[b.role]),
  ]),
  lines,
  nodes);
  const legend = h('p', { class: 'muted small map-legend' },
    h('span', { class: 'legend-protects', 'aria-hidden': 'true' }, '→'), ' protects  ',
    h('span', { class: 'legend-polarized', 'aria-hidden': 'true' }, '- - -'), ' polarized with. Choose a part to see its details below.');
  return [svg, legend];
}
