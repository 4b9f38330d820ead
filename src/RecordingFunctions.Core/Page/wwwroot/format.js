export const finalPhases = new Set(['completed', 'failed', 'transcription_timed_out', 'cancelled']);

export function isFinal(phase) { return finalPhases.has(phase); }

/** A CSS class for a phase name from the API: only letters and underscores survive. */
export function phaseClass(phase) { return 'phase-' + String(phase ?? 'unknown').replace(/[^a-z_]/g, ''); }

export function dateTime(value) {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${r} s` : `${r} s`;
}

/** Milliseconds from the start of the recording as m:ss or h:mm:ss. */
export function offset(milliseconds) {
  const total = Math.max(0, Math.floor(Number(milliseconds) / 1000) || 0);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  const two = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function bytes(size) {
  if (typeof size !== 'number') return '';
  return size < 1024 ? `${size} B` : size < 1048576 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1048576).toFixed(1)} MB`;
}

/** When the recording started (or is to start), for the list and the page header. */
export function startedAt(record) {
  const recording = (record.phases ?? []).find(p => p.phase === 'recording');
  return recording?.at ?? record.schedule?.start_at ?? record.created_at;
}

/** How long it recorded: 100ms's figure when known, the time so far while recording. */
export function recordingSeconds(record) {
  if (typeof record.recording_duration === 'number') return record.recording_duration;
  const recording = (record.phases ?? []).find(p => p.phase === 'recording');
  if (!recording) return null;
  const next = (record.phases ?? []).find(p => new Date(p.at) > new Date(recording.at) && p.phase !== 'recording');
  const end = next ? new Date(next.at) : isFinal(record.phase) ? null : new Date();
  return end ? (end - new Date(recording.at)) / 1000 : null;
}

/** Who started it: the record's own origin when it has one, else calendar or API from what it carries. */
export function origin(record) {
  if (typeof record.origin === 'string' && record.origin) return record.origin;
  return record.calendar ? 'calendar' : 'api';
}
