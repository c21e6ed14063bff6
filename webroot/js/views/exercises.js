// The exercise catalog, grouped by practice.
import { h, replaceChildren, uuid } from '../dom.js';
import { catalog, PRACTICES } from '../store.js';
import { navigate } from '../app.js';
import { pageHeader, privacyNote, loading, formError, button } from '../ui.js';

export default {
  title: 'Exercises',
  render(root) {
    const body = h('div', { class: 'stack', 'data-testid': 'exercise-catalog' }, loading('Loading the exercises…'));
    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Exercises', 'Choose whatever fits this moment. Each one goes step by step, and saves as you go.'),
      privacyNote('Only you can see this. Nothing you write here is shared unless you choose to share it later.'),
      body));

    let alive = true;
    catalog.load().then((list) => {
      if (!alive) return;
      const groups = PRACTICES.map((p) => ({ ...p, items: list.filter((x) => x.practice === p.id) }));
      const known = new Set(PRACTICES.map((p) => p.id));
      const other = list.filter((x) => !known.has(x.practice));
      if (other.length) groups.push({ id: 'other', title: 'More exercises', blurb: '', items: other });
      replaceChildren(body, startHere(list),
        h('h2', { class: 'all-exercises' }, 'All exercises, by practice'),
        groups.filter((g) => g.items.length || g.id === 'checkin').map(section));
    }).catch((err) => {
      if (!alive) return;
      const e = formError('catalog-error');
      e.show(err);
      replaceChildren(body, e.el);
    });
    return () => { alive = false; };
  },
};

// A path for the first days instead of thirteen equal cards: a pause, then one exercise of each
// of the first three practices, in the order the practices build on each other.
const START_HERE = [
  ['checkin-how-are-you', 'Pause and notice how you are right now.'],
  ['mirror-recent-moment', 'Look at one recent moment of distance, gently.'],
  ['parts-meet-the-loudest', 'Meet the inner voice that was loudest in that moment.'],
  ['data-what-the-distance-says', 'Find the longing underneath, and one small way to offer it to yourself.'],
];

function startHere(list) {
  const byId = new Map(list.map((x) => [x.id, x]));
  const steps = START_HERE.filter(([id]) => byId.has(id));
  if (!steps.length) return null;
  return h('section', { class: 'card start-here', 'aria-labelledby': 'start-here-title', 'data-testid': 'start-here' },
    h('h2', { id: 'start-here-title' }, 'Start here'),
    h('p', { class: 'muted' }, 'New to this? These four, in this order, are a gentle way in. One a day is plenty.'),
    h('ol', { class: 'start-path' }, steps.map(([id, why]) => {
      const ex = byId.get(id);
      return h('li', { class: 'start-step', 'data-testid': 'start-here-step', 'data-exercise-id': id },
        h('div', { class: 'start-step-text' },
          h('h3', null, ex.title),
          h('p', null, why),
          ex.minutes ? h('p', { class: 'muted small' }, `About ${ex.minutes} minute${ex.minutes === 1 ? '' : 's'}`) : null),
        button('Begin', {
          'data-action': 'begin',
          'data-testid': 'start-here-begin',
          'aria-label': `Begin: ${ex.title}`,
          onClick: () => navigate(`#/run/${encodeURIComponent(ex.id)}/${uuid()}`),
        }));
    })));
}

function section(group) {
  const headingId = `practice-${group.id}`;
  return h('section', { class: 'practice', 'aria-labelledby': headingId, 'data-testid': 'practice', 'data-practice': group.id },
    h('h2', { id: headingId }, group.title),
    group.blurb ? h('p', { class: 'muted' }, group.blurb) : null,
    h('ul', { class: 'card-grid' },
      group.items.map((ex) => h('li', { class: 'card exercise-card', 'data-testid': 'exercise-card', 'data-exercise-id': ex.id },
        h('h3', null, ex.title),
        ex.summary ? h('p', null, ex.summary) : null,
        ex.minutes ? h('p', { class: 'muted small' }, `About ${ex.minutes} minute${ex.minutes === 1 ? '' : 's'}`) : null,
        button('Begin', {
          kind: 'primary',
          'data-action': 'begin',
          'data-testid': 'exercise-begin',
          'aria-label': `Begin: ${ex.title}`,
          onClick: () => navigate(`#/run/${encodeURIComponent(ex.id)}/${uuid()}`),
        }))),
      group.id === 'checkin'
        ? h('li', { class: 'card exercise-card' },
          // One way to check in: the exercise above logs a real check-in; this card opens the history.
          h('h3', null, 'Your check-ins over time'),
          h('p', null, 'See how your feelings move, or log one on the spot.'),
          h('a', { href: '#/checkins', class: 'btn', 'data-testid': 'exercise-quick-checkin' }, 'Open your check-ins'))
        : null));
}
