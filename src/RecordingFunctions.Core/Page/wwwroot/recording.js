import { call, download, file, fileUrl, recordingPath } from './api.js';
import { h, replace } from './dom.js';
import { bytes, dateTime, duration, isFinal, origin, recordingSeconds, startedAt } from './format.js';
import { phaseBadge } from './list.js';
import { transcriptSection } from './transcript.js';

/** One recording: phases with times, actions, error, files, the summary and the searchable transcript. */
export function recordingView(main, id) {
  let timer = null;
  let stopped = false;
  let filesKey = null;

  const header = h('div');
  const actions = h('div', { class: 'actions' });
  const answer = h('div', { 'aria-live': 'polite' });
  const timeline = h('section', { class: 'panel' });
  const files = h('section', { class: 'panel', 'aria-labelledby': 'files-title' });
  const summary = h('section', { class: 'panel summary', 'aria-labelledby': 'summary-title' });
  const transcript = h('section', { class: 'panel', 'aria-labelledby': 'transcript-title' });
  replace(main, h('p', null, h('a', { href: '#/' }, '← All recordings')),
    h('section', { class: 'panel' }, header, actions, answer), timeline, files, summary, transcript);

  async function command(method, path, done) {
    replace(answer);
    try {
      await call(method, path);
      replace(answer, h('p', { class: 'notice', role: 'status' }, done));
    } catch (error) {
      replace(answer, h('div', { class: 'error', role: 'alert', 'data-testid': 'command-error' },
        h('strong', null, error.problem?.title ?? `The app answered ${error.status}.`), ' ',
        error.problem?.detail ?? ''));
    }
    load();
  }

  function render(record) {
    replace(header,
      h('div', { class: 'heading' },
        h('h1', null, record.calendar?.title ?? 'Recording', ' ', phaseBadge(record.phase))),
      h('dl', { class: 'facts' },
        h('dt', null, 'Room'), h('dd', { class: 'mono' }, record.room_id ?? '—'),
        h('dt', null, 'Pipeline'), h('dd', { class: 'mono' }, record.id),
        h('dt', null, 'Started'), h('dd', null, dateTime(startedAt(record))),
        h('dt', null, 'Duration'), h('dd', null, duration(recordingSeconds(record))),
        h('dt', null, 'Origin'), h('dd', { 'data-testid': 'origin' }, origin(record)),
        record.schedule?.start_at ? [h('dt', null, 'Scheduled'), h('dd', null,
          dateTime(record.schedule.start_at), record.schedule.stop_at ? ` until ${dateTime(record.schedule.stop_at)}` : '')] : null,
        record.cancelled_by ? [h('dt', null, 'Cancelled by'), h('dd', null, record.cancelled_by)] : null),
      record.error ? h('div', { class: 'error', role: 'alert', 'data-testid': 'pipeline-error' },
        h('strong', null, 'The pipeline failed: '), record.error) : null);

    replace(actions,
      ['starting', 'recording', 'stopping'].includes(record.phase)
        ? h('button', { type: 'button', class: 'danger', onclick: () => command('POST', `${recordingPath(id)}/stop`, 'Stop requested: the pipeline goes on to archive the transcript.') }, 'Stop recording')
        : null,
      record.phase === 'scheduled'
        ? h('button', { type: 'button', class: 'danger', onclick: () => command('DELETE', recordingPath(id), 'Cancelled: nothing will be recorded.') }, 'Cancel scheduled recording')
        : null);

    const phases = record.phases ?? [];
    replace(timeline, h('h2', null, 'Phases'),
      phases.length === 0 ? h('p', { class: 'muted' }, 'No phase recorded yet.') :
        h('ol', { class: 'timeline' }, phases.map((p, i) => h('li', { class: p.phase === record.phase ? 'current' : null },
          phaseBadge(p.phase), ' ',
          h('time', { datetime: p.at, title: p.at }, dateTime(p.at)),
          i > 0 ? h('span', { class: 'muted' }, ` +${duration((new Date(p.at) - new Date(phases[i - 1].at)) / 1000)}`) : null))));
  }

  async function renderFiles(record) {
    const names = (record.blobs ?? []).map(b => b.split('/').pop());
    const key = names.join('|') + '|' + isFinal(record.phase);
    if (key === filesKey) return;
    filesKey = key;

    let listed = names.map(name => ({ name }));
    if (isFinal(record.phase)) {
      try {
        const manifest = await (await file(id, 'manifest.json')).json();
        listed = [...manifest.files.map(f => ({ name: f.name.split('/').pop(), size: f.size })), { name: 'manifest.json' }];
      } catch { /* no manifest (cancelled before it started): the record's list stands */ }
    }
    replace(files, h('h2', { id: 'files-title' }, 'Files'),
      listed.length === 0 ? h('p', { class: 'muted' }, isFinal(record.phase) ? 'Nothing was archived.' : 'Nothing archived yet.') :
        h('ul', { class: 'files' }, listed.map(f => h('li', null,
          h('a', {
            href: fileUrl(id, f.name) + '?download=1', download: f.name, 'data-testid': 'file-link',
            onclick: event => { event.preventDefault(); download(id, f.name); },
          }, f.name), ' ', h('span', { class: 'muted' }, bytes(f.size))))));

    await renderSummary(listed.map(f => f.name));
    await renderTranscript(listed.map(f => f.name));
  }

  async function renderSummary(names) {
    if (!names.includes('summary.json')) {
      replace(summary, h('h2', { id: 'summary-title' }, 'Summary'), h('p', { class: 'muted' }, 'No summary archived.'));
      return;
    }
    try {
      const json = await (await file(id, 'summary.json')).json();
      const sections = json?.summary?.sections ?? json?.sections ?? [];
      replace(summary, h('h2', { id: 'summary-title' }, 'Summary'),
        sections.map(section => h('article', { class: 'summary-section', 'data-testid': 'summary-section' },
          h('h3', null, String(section.title ?? '')),
          Array.isArray(section.bullets) && section.bullets.length > 0
            ? h('ul', null, section.bullets.map(b => h('li', null, String(b))))
            : null,
          section.paragraph ? h('p', null, String(section.paragraph)) : null)));
    } catch (error) {
      replace(summary, h('h2', { id: 'summary-title' }, 'Summary'), h('p', { class: 'error' }, `The summary could not be read: ${error.message}`));
    }
  }

  async function renderTranscript(names) {
    const source = names.includes('transcript.json') ? 'transcript.json' : names.includes('transcript.txt') ? 'transcript.txt' : null;
    if (!source) {
      replace(transcript, h('h2', { id: 'transcript-title' }, 'Transcript'), h('p', { class: 'muted' }, 'No transcript archived.'));
      return;
    }
    try {
      const response = await file(id, source);
      const lines = source === 'transcript.json' ? jsonLines(await response.json()) : textLines(await response.text());
      replace(transcript, transcriptSection(lines));
    } catch (error) {
      replace(transcript, h('h2', { id: 'transcript-title' }, 'Transcript'), h('p', { class: 'error' }, `The transcript could not be read: ${error.message}`));
    }
  }

  async function load() {
    clearTimeout(timer);
    let record = null;
    try {
      record = await call('GET', recordingPath(id));
      if (stopped) return;
      render(record);
      await renderFiles(record);
    } catch (error) {
      if (stopped) return;
      replace(header, h('p', { class: 'error', role: 'alert' }, error.message));
    }
    if (!stopped && (!record || !isFinal(record.phase))) timer = setTimeout(load, 2000);
  }

  load();
  return () => { stopped = true; clearTimeout(timer); };
}

/** 100ms's transcript.json: sentences with speaker and times in milliseconds, or words to join by speaker. */
function jsonLines(json) {
  if (Array.isArray(json?.sentences) && json.sentences.length > 0) {
    return json.sentences.map(s => ({ speaker: String(s.name ?? s.peer_id ?? ''), start: Number(s.start_time), text: String(s.sentence ?? '') }));
  }
  const lines = [];
  for (const w of json?.words ?? []) {
    const speaker = String(w.name ?? w.peer_id ?? '');
    const last = lines[lines.length - 1];
    if (last && last.speaker === speaker) last.text += ' ' + String(w.word ?? '');
    else lines.push({ speaker, start: Number(w.start_time), text: String(w.word ?? '') });
  }
  return lines;
}

function textLines(text) {
  return text.split(/\n+/).filter(l => l.trim()).map(l => {
    const colon = l.indexOf(': ');
    return colon > 0 ? { speaker: l.slice(0, colon), start: null, text: l.slice(colon + 2) } : { speaker: '', start: null, text: l };
  });
}
