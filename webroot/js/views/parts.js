// The parts map: the inner parts a person is getting to know over time. Drawn as a map (parts by
// role, their relations; partsmap.js) above the same parts in words, grouped by role.
import { h, replaceChildren, uuid, fmtDate, uid } from '../dom.js';
import { drawMap, describeRelations, ROLE_ORDER, ROLE_GROUPS, RELATION_LABELS } from './partsmap.js';
import { limitText } from '../textlimit.js';
import { api, listOf } from '../api.js';
import { onEvents, onResync } from '../realtime.js';
import { CollectionStore, ROLES } from '../store.js';
import { pageHeader, privacyNote, loading, formError, button, confirmDialog, announce, field, sealedErrorNote } from '../ui.js';

const FIELDS = [
  { key: 'triggers', label: 'What brings it out?', hint: 'Moments, words or situations that wake this part up.' },
  { key: 'hopes', label: 'What does it protect, or hope for?' },
  { key: 'belief', label: 'What does it believe about you?', hint: 'For example: “I am too much” or “I am not enough.”' },
  { key: 'bodySense', label: 'Where do you feel it in your body?' },
  { key: 'feelingToward', label: 'How do you feel toward it?', hint: 'Curious? Compassionate? Or is another part reacting to it?' },
  { key: 'fears', label: 'What is it afraid would happen?' },
  { key: 'needs', label: 'What does it need from you?' },
  { key: 'notes', label: 'Notes' },
];

export default {
  title: 'Parts map',
  render(root, [focusId] = []) {
    const store = new CollectionStore();
    let alive = true;
    let loaded = false;
    const list = h('div', { class: 'stack parts-groups', 'data-testid': 'part-list' });
    const mapBox = h('div', { class: 'parts-map' });
    const mapSection = h('section', { class: 'card', 'aria-labelledby': 'parts-map-heading', 'data-testid': 'parts-map-section' },
      h('h2', { id: 'parts-map-heading' }, 'The map'), mapBox);
    const listHeading = h('h2', { id: 'parts-list-heading', class: 'parts-list-heading' }, 'Your parts, by role');
    const empty = h('p', { class: 'empty', 'data-testid': 'parts-empty', hidden: true },
      'Your parts map is empty. When a part of you feels loud, give it a name here, or meet one in the “Turn toward your parts” exercises.');
    const editorBox = h('div', { 'data-testid': 'part-editor-area' });
    const error = formError('parts-error');
    const addBtn = button('Add a part', { kind: 'primary', 'data-action': 'add-part', 'data-testid': 'part-add', onClick: () => openEditor(null) });
    const body = h('div', { class: 'stack' }, loading());

    root.appendChild(h('div', { class: 'stack' },
      pageHeader('Your parts map', 'The inner parts you are getting to know. Meet them with curiosity rather than pushing them away.'),
      privacyNote(),
      h('div', { class: 'button-row' }, addBtn),
      editorBox,
      error.el,
      body));

    let editing = null; // {id, version, form}

    const openCard = (p) => {
      const el = list.querySelector(`[data-part-id="${CSS.escape(p.id)}"]`);
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      const heading = el.querySelector('[data-part-heading]');
      if (heading) heading.focus({ preventScroll: true });
    };
    let focused = false;
    const render = () => {
      if (!loaded) return;
      if (!body.contains(list)) replaceChildren(body, empty, mapSection, listHeading, list);
      const items = store.list();
      empty.hidden = items.length > 0;
      mapSection.hidden = items.length === 0;
      listHeading.hidden = items.length === 0;
      replaceChildren(mapBox, items.length ? drawMap(items, body.clientWidth - 40, openCard) : null);
      replaceChildren(list, ROLE_ORDER.map((role) => {
        const members = items.filter((p) => (p.sealedError ? '' : (p.role || '')) === role);
        if (!members.length) return null;
        const gid = `role-group-${role || 'none'}`;
        return h('section', { class: 'role-group', 'data-testid': 'role-group', 'data-role': role || 'none', 'aria-labelledby': gid },
          h('h3', { id: gid, class: 'role-group-title' }, ROLE_GROUPS[role], h('span', { class: 'muted' }, ` · ${members.length}`)),
          h('ul', { class: 'card-grid parts-grid' }, members.map((p) => card(p, items))));
      }));
      if (focusId && !focused && store.has(focusId)) { focused = true; openCard(store.get(focusId)); }
    };

    const card = (p, all) => h('li', { class: 'card part-card', 'data-testid': 'part-card', 'data-part-id': p.id },
      h('div', { class: 'item-head' },
        h('h4', { class: 'item-title', tabindex: '-1', 'data-part-heading': '' }, p.sealedError ? 'A part that could not be opened' : p.name),
        p.role ? h('span', { class: 'badge', 'data-testid': 'part-role' }, ROLES[p.role] || p.role) : null),
      sealedErrorNote(p),
      p.feltAge ? h('p', { class: 'muted', 'data-testid': 'part-felt-age' }, `Felt age: ${p.feltAge}`) : null,
      p.sealedError ? null : relationsLine(p, all),
      h('dl', { class: 'part-details' }, FIELDS.filter((f) => p[f.key]).map((f) => [h('dt', null, f.label), h('dd', null, p[f.key])])),
      visitsLine(p),
      p.updatedAt ? h('p', { class: 'muted small' }, `Last changed ${fmtDate(p.updatedAt)}`) : null,
      h('div', { class: 'button-row' },
        p.sealedError ? null : button('Edit', { 'data-action': 'edit', 'data-testid': 'part-edit', 'aria-label': `Edit ${p.name}`, onClick: () => openEditor(p) }),
        button('Delete', {
          kind: 'quiet-danger',
          'data-action': 'delete',
          'data-testid': 'part-delete',
          'aria-label': `Delete ${p.name || 'this part'}`,
          onClick: async () => {
            const ok = await confirmDialog({
              title: p.sealedError ? 'Delete this part?' : `Delete “${p.name}”?`,
              message: 'It will be removed from your parts map on all your devices. Reflections that mention it keep their words.',
              confirmLabel: 'Delete part',
              danger: true,
              testid: 'confirm-delete-part',
              returnFocus: addBtn,
              onConfirm: async () => {
                try { await api.deletePart(p.id); } catch (e) { if (e.status !== 404) throw e; }
              },
            });
            if (ok) { store.remove(p.id); announce('Part deleted.'); }
          },
        })));

    function relationsLine(p, all) {
      const words = describeRelations(p, all);
      return words.length ? h('ul', { class: 'relation-list', 'data-testid': 'part-relations' }, words.map((w) => h('li', null, w))) : null;
    }

    function visitsLine(p) {
      const visits = Array.isArray(p.visits) ? p.visits : [];
      if (!visits.length) return null;
      return h('details', { class: 'visits', 'data-testid': 'part-visits' },
        h('summary', null, `${visits.length} visit${visits.length === 1 ? '' : 's'} · last on ${fmtDate(visits[visits.length - 1].at)}`),
        h('ol', { reversed: true }, [...visits].reverse().map((v) => h('li', { 'data-testid': 'part-visit' },
          h('time', { datetime: v.at }, fmtDate(v.at)),
          v.note ? h('p', null, v.note) : null,
          v.belief ? h('p', { class: 'muted' }, `Believed: ${v.belief}`) : null))));
    }

    function openEditor(part) {
      const isNew = !part;
      const id = isNew ? uuid() : part.id;
      let version = isNew ? undefined : part.version;
      const inputs = {
        name: h('input', { type: 'text', maxlength: '100', required: true, autocomplete: 'off', 'data-testid': 'part-name', value: part ? part.name : '' }),
        role: h('select', { 'data-testid': 'part-role-select', value: (part && part.role) || '' },
          h('option', { value: '' }, 'Choose later'),
          Object.entries(ROLES).map(([v, label]) => h('option', { value: v }, label))),
      };
      inputs.feltAge = h('input', { type: 'text', maxlength: '100', autocomplete: 'off', 'data-testid': 'part-feltAge', value: (part && part.feltAge) || '' });
      const limits = {};
      for (const f of FIELDS) {
        inputs[f.key] = h('textarea', { rows: '3', 'data-testid': `part-${f.key}`, value: (part && part[f.key]) || '' });
        limits[f.key] = limitText(inputs[f.key], { label: 'This field' });
      }
      // Relations to the other parts: [{to, kind}], kept inside this part's sealed content.
      let relations = (part && Array.isArray(part.relations) ? part.relations : []).map((r) => ({ ...r }));
      const relBox = h('ul', { class: 'relation-editor', 'data-testid': 'part-relations-editor' });
      const others = () => store.list().filter((p) => p.id !== id && !p.sealedError);
      const drawRelations = () => {
        replaceChildren(relBox, relations.map((r, i) => {
          const kindId = uid('relkind');
          const toId = uid('relto');
          const kind = h('select', { id: kindId, 'data-testid': 'relation-kind', value: r.kind },
            Object.entries(RELATION_LABELS).map(([v, label]) => h('option', { value: v }, `This part ${label}`)));
          const to = h('select', { id: toId, 'data-testid': 'relation-to', value: r.to },
            others().map((p) => h('option', { value: p.id }, p.name)));
          kind.addEventListener('change', () => { r.kind = kind.value; });
          to.addEventListener('change', () => { r.to = to.value; });
          return h('li', { class: 'relation-row', 'data-testid': 'relation-row' },
            h('label', { for: kindId, class: 'visually-hidden' }, 'How they relate'), kind,
            h('label', { for: toId, class: 'visually-hidden' }, 'Which part'), to,
            button('Remove', { class: 'btn-small', 'data-testid': 'relation-remove', 'aria-label': `Remove relation ${i + 1}`,
              onClick: () => { relations.splice(i, 1); drawRelations(); } }));
        }));
      };
      const addRelation = button('Add a relation to another part', {
        'data-testid': 'relation-add',
        onClick: () => {
          const first = others()[0];
          if (!first) { err.show('Add another part first; then you can say how the two relate.'); return; }
          relations.push({ to: first.id, kind: 'protects' });
          drawRelations();
          const rows = relBox.querySelectorAll('[data-testid="relation-kind"]');
          rows[rows.length - 1].focus();
        },
      });
      drawRelations();
      const err = formError('part-form-error');
      const conflictBox = h('div', { 'data-testid': 'part-conflict-area' });
      const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'part-save' }, isNew ? 'Add to my parts map' : 'Save changes');
      const cancel = button('Cancel', { 'data-action': 'cancel-edit', 'data-testid': 'part-cancel', onClick: () => closeEditor() });
      const heading = h('h2', { tabindex: '-1' }, isNew ? 'A new part' : `Editing “${part.name}”`);
      let visits = part && Array.isArray(part.visits) ? part.visits : undefined;
      const values = () => {
        const body = { name: inputs.name.value.trim() };
        if (inputs.role.value) body.role = inputs.role.value;
        for (const f of FIELDS) body[f.key] = inputs[f.key].value;
        body.feltAge = inputs.feltAge.value.trim();
        body.relations = relations.filter((r) => r.to && r.to !== id);
        if (visits) body.visits = visits; // the whole part is written: its dated visits go with it
        return body;
      };
      const fill = (p) => {
        inputs.name.value = p.name || '';
        inputs.role.value = p.role || '';
        inputs.feltAge.value = p.feltAge || '';
        for (const f of FIELDS) { inputs[f.key].value = p[f.key] || ''; limits[f.key].sync(); }
        relations = (Array.isArray(p.relations) ? p.relations : []).map((r) => ({ ...r }));
        visits = Array.isArray(p.visits) ? p.visits : undefined;
        drawRelations();
      };
      const submit = async () => {
        err.clear();
        const body = values();
        if (!body.name) { err.show({ message: 'Please give this part a name.', field: 'name' }, inputs); inputs.name.focus(); return; }
        if (version !== undefined) body.version = version;
        save.disabled = true;
        try {
          const saved = await api.savePart(id, body);
          store.upsert(saved);
          announce(isNew ? `Added “${saved.name}” to your parts map.` : 'Changes saved.');
          closeEditor();
        } catch (e) {
          if (e.code === 'version_conflict' && e.current) showConflict(e.current);
          else { err.show(e, inputs); if (e.field && inputs[e.field]) inputs[e.field].focus(); }
        } finally {
          save.disabled = false;
        }
      };
      const showConflict = (current) => {
        const title = h('h3', { tabindex: '-1' }, 'This part was changed on another device');
        replaceChildren(conflictBox, h('div', { class: 'conflict inline-conflict', 'data-testid': 'part-conflict', role: 'group', 'aria-label': 'Changed on another device' },
          title,
          h('p', null, `The other version is called “${current.name}”. What you typed here is still in the form.`),
          h('div', { class: 'button-row' },
            button('Keep mine', {
              kind: 'primary', 'data-action': 'keep-mine', 'data-testid': 'conflict-keep-mine',
              onClick: () => { version = current.version; replaceChildren(conflictBox); submit(); },
            }),
            button('Use the other', {
              'data-action': 'use-other', 'data-testid': 'conflict-use-other',
              onClick: () => { version = current.version; fill(current); store.upsert(current); replaceChildren(conflictBox); inputs.name.focus(); },
            }))));
        title.focus();
      };
      const form = h('form', { class: 'card part-form', novalidate: true, 'data-testid': 'part-form' },
        heading,
        field('Name', inputs.name, { hint: 'A name that feels right to you, like “The Worrier” or “Little me”.' }),
        field('Role', inputs.role, {
          hint: 'Managers try to keep things under control; firefighters rush in when pain shows up; exiles carry old hurts.',
          optional: true,
        }),
        field('How old does it feel?', inputs.feltAge, { hint: 'For example “about seven”, or “a teenager”.', optional: true }),
        FIELDS.map((f) => { const el = field(f.label, inputs[f.key], { hint: f.hint, optional: true }); el.append(...limits[f.key].el); return el; }),
        h('fieldset', { class: 'relations-fieldset' },
          h('legend', null, 'How it relates to your other parts', h('span', { class: 'optional' }, ' (optional)')),
          relBox, addRelation),
        conflictBox,
        err.el,
        h('div', { class: 'button-row' }, save, cancel));
      form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
      editing = { id, form };
      replaceChildren(editorBox, form);
      addBtn.hidden = true;
      inputs.name.focus();
    }

    function closeEditor() {
      const wasEditing = editing;
      editing = null;
      replaceChildren(editorBox);
      addBtn.hidden = false;
      const cardEl = wasEditing && list.querySelector(`[data-part-id="${CSS.escape(wasEditing.id)}"] [data-action="edit"]`);
      (cardEl || addBtn).focus();
    }

    const unwatch = store.watch(render);
    const unsub = onEvents(['part.saved', 'part.deleted'], (msg) => {
      const data = msg.data || {};
      if (msg.kind === 'part.deleted') store.remove(data.id);
      else store.upsert(data);
    });
    const load = () => {
      const mark = store.mark();
      return api.parts().then((data) => {
        if (!alive) return;
        loaded = true;
        store.replace(listOf(data, 'parts'), mark);
      }).catch((e) => { store.forget(mark); if (alive) { replaceChildren(body); error.show(e); } });
    };
    const unresync = onResync(['self'], load);
    load();
    return () => { alive = false; unwatch(); unsub(); unresync(); };
  },
};
