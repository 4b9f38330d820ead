import { call } from './api.js';
import { h, replace } from './dom.js';

const maxSections = 6;

/**
 * A form for the start route's main options. The app validates (the form does not): a 400's problem details are shown
 * next to the field each error names, by its JSON path.
 */
export function startView(main) {
  const field = (path, control) => { control.dataset.path = path; return control; };
  const room = field('room_id', h('input', { id: 'room-id', name: 'room_id', spellcheck: 'false', autocomplete: 'off', placeholder: '24 hex characters', class: 'mono' }));
  const meetingUrl = field('meeting_url', h('input', { id: 'meeting-url', name: 'meeting_url', type: 'url', placeholder: 'optional: the room link 100ms should record' }));
  const transcription = field('transcription.enabled', h('input', { id: 'transcription', type: 'checkbox', checked: true }));
  const modes = ['txt', 'srt', 'json'].map(mode => h('input', { type: 'checkbox', name: 'output_modes', value: mode, id: `mode-${mode}`, checked: true }));
  const modesGroup = field('transcription.output_modes', h('fieldset', { class: 'inline' }, h('legend', null, 'Transcript files'),
    modes.map(m => h('label', { for: m.id }, m, ' ', m.value))));
  const summaryOn = field('transcription.summary.enabled', h('input', { id: 'summary', type: 'checkbox', checked: true }));
  const sectionsList = field('transcription.summary.sections', h('ol', { class: 'sections' }));
  const addSection = h('button', { type: 'button', onclick: () => add('', 'bullets') }, 'Add a section');
  const startAt = field('start_at', h('input', { id: 'start-at', type: 'datetime-local', step: 1 }));
  const minutes = field('duration', h('input', { id: 'duration', type: 'number', min: 1, step: 1, placeholder: 'until 100ms stops it' }));
  const general = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Start recording');

  function add(title, format) {
    const i = sectionsList.children.length;
    const titleInput = h('input', { class: 'section-title', value: title, placeholder: 'Title, like Action Items', 'aria-label': `Section ${i + 1} title` });
    const formatSelect = h('select', { class: 'section-format', 'aria-label': `Section ${i + 1} format` },
      ['bullets', 'paragraph'].map(f => h('option', { value: f, selected: f === format }, f)));
    const item = h('li', null, titleInput, formatSelect,
      h('button', { type: 'button', class: 'link', onclick: () => { item.remove(); renumber(); } }, 'Remove'));
    sectionsList.append(item);
    renumber();
  }

  function renumber() {
    [...sectionsList.children].forEach((item, i) => {
      item.querySelector('.section-title').dataset.path = `transcription.summary.sections[${i}].title`;
      item.querySelector('.section-format').dataset.path = `transcription.summary.sections[${i}].format`;
    });
    addSection.disabled = sectionsList.children.length >= maxSections;
  }

  function body() {
    const summary = { enabled: summaryOn.checked };
    const sections = [...sectionsList.children].map(item => ({
      title: item.querySelector('.section-title').value,
      format: item.querySelector('.section-format').value,
    }));
    if (summaryOn.checked && sections.length > 0) summary.sections = sections;
    const request = {
      transcription: { enabled: transcription.checked, output_modes: modes.filter(m => m.checked).map(m => m.value), summary },
    };
    if (request.transcription.output_modes.length === 0) delete request.transcription.output_modes;
    if (meetingUrl.value.trim()) request.meeting_url = meetingUrl.value.trim();
    if (startAt.value) {
      const at = new Date(startAt.value);
      request.start_at = Number.isNaN(at.getTime()) ? startAt.value : at.toISOString();
    }
    if (minutes.value) request.duration = Math.round(Number(minutes.value) * 60);
    return request;
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(e => e.remove());
    form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
    replace(general);
  }

  /** Each error goes next to the control whose path is the longest prefix of the error's path. */
  function showErrors(form, problem) {
    const controls = [...form.querySelectorAll('[data-path]')];
    const unplaced = [];
    for (const [path, messages] of Object.entries(problem?.errors ?? {})) {
      const target = controls
        .filter(c => path === c.dataset.path || path.startsWith(c.dataset.path + '.') || path.startsWith(c.dataset.path + '['))
        .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
      const message = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'field-error', dataset: { field: path } }, messages.join(' '));
      if (target) {
        target.setAttribute('aria-invalid', 'true');
        target.insertAdjacentElement('afterend', message);
      } else {
        unplaced.push(h('li', null, h('code', null, path), ': ', messages.join(' ')));
      }
    }
    replace(general, h('div', { class: 'error', role: 'alert' },
      h('strong', null, problem?.title ?? 'The request was refused.'), ' ', problem?.detail ?? '',
      unplaced.length ? h('ul', null, unplaced) : null));
  }

  const form = h('form', {
    class: 'panel start', novalidate: true, onsubmit: async event => {
      event.preventDefault();
      clearErrors(form);
      const roomId = room.value.trim();
      if (!roomId) { showErrors(form, { title: 'The request is invalid.', errors: { room_id: ['Give the 100ms room id.'] } }); return; }
      submit.disabled = true;
      try {
        const accepted = await call('POST', `rooms/${encodeURIComponent(roomId)}/recordings`, body());
        location.hash = `#/recordings/${encodeURIComponent(accepted.id)}`;
      } catch (error) {
        showErrors(form, error.problem ?? { title: error.message });
      } finally {
        submit.disabled = false;
      }
    },
  },
    h('h1', null, 'Start a recording'),
    h('div', { class: 'field' }, h('label', { for: 'room-id' }, 'Room id'), room),
    h('div', { class: 'field' }, h('label', { for: 'meeting-url' }, 'Meeting URL'), meetingUrl),
    h('div', { class: 'field' }, h('label', { for: 'transcription' }, transcription, ' Transcribe')),
    h('div', { class: 'field' }, modesGroup),
    h('div', { class: 'field' }, h('label', { for: 'summary' }, summaryOn, ' Summarise')),
    h('div', { class: 'field' }, h('span', { class: 'label' }, 'Summary sections (100ms\'s defaults when none)'), sectionsList, addSection),
    h('div', { class: 'field' }, h('label', { for: 'start-at' }, 'Start at (your time zone; empty starts now)'), startAt),
    h('div', { class: 'field' }, h('label', { for: 'duration' }, 'Duration in minutes'), minutes),
    general,
    submit);

  replace(main, form);
  return () => {};
}
