// Home: a calm starting point, with drafts to pick up again.
import { h, replaceChildren, fmtDateTime } from '../dom.js';
import { api, listOf } from '../api.js';
import { session, catalog, partnerName } from '../store.js';
import { pageHeader, privacyNote, endingNotice } from '../ui.js';
import { welcomeTour } from './welcome.js';
import { dueOf, hrefOf } from '../followups.js';
import { heldItems } from '../holding.js';

export default {
  title: 'Home',
  render(root) {
    const user = session.state.user;
    const drafts = h('div', { 'data-testid': 'home-drafts' });
    const revisit = h('div', { 'data-testid': 'home-revisit' });
    const heldDue = h('div', { 'data-testid': 'home-held' });
    const together = h('div', { 'data-testid': 'home-together' });

    const renderTogether = () => {
      const c = session.state.couple;
      const paired = c && c.members && c.members.length > 1;
      replaceChildren(together,
        h('h2', null, 'Together'),
        paired
          ? [h('p', null, `You and ${partnerName()} share a joint space. Only what either of you chooses to share appears there.`),
            h('ul', { class: 'link-list' },
              h('li', null, h('a', { href: '#/joint' }, 'Open your joint space')),
              h('li', null, h('a', { href: '#/review' }, 'Prepare a joint review for counseling')))]
          : c
            ? [h('p', null, 'Your joint space is ready and waiting for your partner to join.'),
              h('p', null, h('a', { href: '#/couple' }, 'See your invite code'))]
            : [endingNotice(), h('p', null, 'When you feel ready, you can invite your partner into a shared space. There is no rush.'),
              h('p', null, h('a', { href: '#/couple', 'data-testid': 'home-pair' }, 'Set up a joint space'))]);
    };
    renderTogether();
    const unwatch = session.watch(renderTogether);

    root.appendChild(h('div', { class: 'stack' },
      pageHeader(`Hello, ${(user && user.displayName) || 'there'}`,
        'Disconnection is not only a verdict on your relationship. It is also information, and an invitation to turn inward.'),
      welcomeTour(), // the first-day tour until it is finished or skipped (welcome.js)
      h('section', { class: 'card' },
        h('h2', null, 'Your private space'),
        privacyNote('Only you can see this. Your partner cannot see it, or even tell that it exists.'),
        h('ul', { class: 'tile-grid' },
          tile('#/exercises', 'Begin an exercise', 'Guided steps through the four practices.', 'home-exercises'),
          tile('#/reflections', 'Your reflections', 'Drafts and finished reflections.', 'home-reflections'),
          tile('#/parts', 'Your parts map', 'The inner parts you are getting to know.', 'home-parts'),
          tile('#/checkins', 'Check in', 'Name what you feel, and how strongly.', 'home-checkins'),
          tile('#/offers', 'Offers to yourself', 'What you offered yourself, and what to come back to.', 'home-offers')),
        heldDue,
        revisit,
        drafts),
      h('section', { class: 'card' }, together)));

    let alive = true;
    // What is due: a quiet list, never a count to beat or a streak to keep.
    api.followups().then((data) => {
      if (!alive) return;
      const due = dueOf(listOf(data, 'followups'));
      if (!due.length) return;
      replaceChildren(revisit,
        h('h3', null, 'To revisit, when you are ready'),
        h('ul', { class: 'link-list' }, due.slice(0, 5).map((f) => h('li', { 'data-testid': 'home-due', 'data-type': f.type },
          h('a', { href: f.type === 'offer' ? '#/offers' : hrefOf(f), 'data-testid': 'home-due-link' },
            f.type === 'offer' ? `How did it go: “${f.text}”?` : `Come back to: ${f.text}`)))),
        due.length > 5 ? h('p', null, h('a', { href: '#/offers' }, 'See everything waiting for you')) : null);
    }).catch(() => {});
    // Held shares whose reminder is due (the server's clock decides): each opens in the composer.
    api.get('/api/me/unread').then(async (unread) => {
      const ids = unread && Array.isArray(unread.heldDue) ? unread.heldDue : [];
      if (!ids.length || !alive) return;
      const byId = new Map((await heldItems()).map((x) => [x.id, x]));
      const due = ids.map((id) => byId.get(id)).filter((x) => x && x.type === 'share' && !x.sealedError);
      if (!due.length || !alive) return;
      replaceChildren(heldDue,
        h('h3', null, 'Held for later, ready when you are'),
        h('p', { class: 'hint' }, 'You asked to be reminded. Send it, keep holding it, or let it go: whatever feels right now.'),
        h('ul', { class: 'link-list' }, due.map((x) => h('li', { 'data-testid': 'home-held-due', 'data-held-id': x.id },
          h('a', { href: `#/share/held/${encodeURIComponent(x.id)}`, 'data-testid': 'home-held-link' },
            `Come back to “${(x.share && x.share.title) || 'something you held'}”`)))));
    }).catch(() => {});
    Promise.all([api.reflections({ status: 'draft', limit: 3 }), catalog.load().catch(() => [])])
      .then(([data]) => {
        if (!alive) return;
        const list = listOf(data, 'reflections');
        if (!list.length) return;
        replaceChildren(drafts,
          h('h3', null, 'Pick up where you left off'),
          h('ul', { class: 'link-list' }, list.map((r) => {
            const ex = catalog.byId.get(r.exerciseId);
            return h('li', null,
              h('a', { href: `#/run/${encodeURIComponent(r.exerciseId)}/${encodeURIComponent(r.id)}`, 'data-testid': 'home-draft' },
                (ex && ex.title) || 'A reflection'),
              h('span', { class: 'muted' }, ` · last saved ${fmtDateTime(r.updatedAt)}`));
          })));
      })
      .catch(() => {});

    return () => { alive = false; unwatch(); };
  },
};

function tile(href, title, text, testid) {
  return h('li', null, h('a', { href, class: 'tile', 'data-testid': testid },
    h('span', { class: 'tile-title' }, title),
    h('span', { class: 'tile-text' }, text)));
}
