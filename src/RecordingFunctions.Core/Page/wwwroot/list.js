import { call } from './api.js';
import { h, replace } from './dom.js';
import { dateTime, duration, isFinal, origin, phaseClass, recordingSeconds, startedAt } from './format.js';

const pageSize = 20;

export function phaseBadge(phase) {
  return h('span', { class: `badge ${phaseClass(phase)}`, 'data-testid': 'phase' }, String(phase ?? 'unknown').replaceAll('_', ' '));
}

/** The recordings, newest first, filtered by room and phase, a page at a time; refreshed while pipelines run. */
export function listView(main, session, params) {
  const room = params.get('room') ?? '';
  const phase = params.get('phase') ?? '';
  const tokens = [null];
  let timer = null;
  let stopped = false;

  const roomInput = h('input', { id: 'filter-room', name: 'room', value: room, placeholder: '24 hex characters', spellcheck: 'false', autocomplete: 'off' });
  const phaseSelect = h('select', { id: 'filter-phase', name: 'phase' },
    h('option', { value: '' }, 'any phase'),
    (session.phases ?? []).map(p => h('option', { value: p, selected: p === phase }, p.replaceAll('_', ' '))));
  const status = h('p', { class: 'muted', role: 'status' });
  const body = h('tbody');
  const older = h('button', { type: 'button', onclick: () => { tokens.push(older.dataset.token); load(); } }, 'Older');
  const newer = h('button', { type: 'button', onclick: () => { tokens.pop(); load(); } }, 'Newer');

  replace(main,
    h('section', { class: 'panel' },
      h('div', { class: 'heading' }, h('h1', null, 'Recordings'), h('a', { class: 'button primary', href: '#/start' }, 'Start a recording')),
      h('form', {
        class: 'filters', onsubmit: event => {
          event.preventDefault();
          const query = new URLSearchParams();
          if (roomInput.value.trim()) query.set('room', roomInput.value.trim());
          if (phaseSelect.value) query.set('phase', phaseSelect.value);
          const target = '#/' + (query.size ? '?' + query : '');
          if (location.hash === target) { tokens.splice(1); load(); } else location.hash = target;
        },
      },
        h('label', { for: 'filter-room' }, 'Room'), roomInput,
        h('label', { for: 'filter-phase' }, 'Phase'), phaseSelect,
        h('button', { type: 'submit' }, 'Filter')),
      h('table', { class: 'recordings' },
        h('thead', null, h('tr', null, ['Room', 'Started', 'Duration', 'Phase', 'Origin'].map(c => h('th', { scope: 'col' }, c)))),
        body),
      h('div', { class: 'pager' }, newer, older),
      status));

  async function load() {
    clearTimeout(timer);
    const query = new URLSearchParams({ page_size: String(pageSize) });
    if (room) query.set('room_id', room);
    if (phase) query.set('phase', phase);
    const token = tokens[tokens.length - 1];
    if (token) query.set('continuation_token', token);
    let running = false;
    try {
      const page = await call('GET', 'recordings?' + query);
      if (stopped) return;
      const items = [...page.items].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      running = items.some(item => !isFinal(item.phase));
      replace(body, items.length === 0
        ? h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No recordings here yet.'))
        : items.map(row));
      older.hidden = !page.continuation_token;
      older.dataset.token = page.continuation_token ?? '';
      newer.hidden = tokens.length <= 1;
      replace(status, `Updated ${new Date().toLocaleTimeString()}${running ? ' · refreshing while pipelines run' : ''}`);
    } catch (error) {
      if (stopped) return;
      const fields = error.problem?.errors ? Object.values(error.problem.errors).flat().join(' ') : '';
      replace(status, h('span', { class: 'error', role: 'alert' }, `${error.message} ${fields}`));
    }
    timer = setTimeout(() => { if (!document.hidden) load(); else timer = setTimeout(load, 3000); }, running ? 3000 : 15000);
  }

  load();
  return () => { stopped = true; clearTimeout(timer); };
}

function row(item) {
  return h('tr', { 'data-testid': 'recording-row', dataset: { id: item.id } },
    h('td', null,
      h('a', { href: `#/recordings/${encodeURIComponent(item.id)}`, class: 'mono' }, item.room_id ?? item.id),
      item.calendar?.title ? h('div', { class: 'muted' }, item.calendar.title) : null),
    h('td', null, dateTime(startedAt(item))),
    h('td', null, duration(recordingSeconds(item))),
    h('td', null, phaseBadge(item.phase)),
    h('td', null, h('span', { class: 'origin', 'data-testid': 'origin' }, origin(item))));
}
