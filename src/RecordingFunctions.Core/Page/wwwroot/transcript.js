import { h, replace } from './dom.js';
import { offset } from './format.js';

/** The transcript with speakers and times, and a search that highlights every hit and jumps between them. */
export function transcriptSection(lines) {
  const texts = [];
  const list = h('ol', { class: 'transcript', 'data-testid': 'transcript' }, lines.map(line => {
    const text = h('span', { class: 'text' }, line.text);
    texts.push({ element: text, value: line.text });
    return h('li', { class: 'line', 'data-testid': 'transcript-line' },
      h('span', { class: 'time' }, line.start === null || Number.isNaN(line.start) ? '' : offset(line.start)),
      h('span', { class: 'speaker' }, line.speaker),
      text);
  }));

  const input = h('input', { id: 'transcript-search', type: 'search', placeholder: 'Find in transcript', autocomplete: 'off', 'aria-controls': 'search-count' });
  const count = h('span', { id: 'search-count', class: 'muted', role: 'status', 'data-testid': 'search-count' });
  const previous = h('button', { type: 'button', title: 'Previous hit (Shift+Enter)', onclick: () => go(-1) }, '↑');
  const next = h('button', { type: 'button', title: 'Next hit (Enter)', onclick: () => go(1) }, '↓');
  let hits = [];
  let current = -1;

  function highlight(term) {
    hits = [];
    const needle = term.toLocaleLowerCase();
    for (const { element, value } of texts) {
      if (!needle) { replace(element, value); continue; }
      const parts = [];
      const haystack = value.toLocaleLowerCase();
      let from = 0, at;
      while ((at = haystack.indexOf(needle, from)) !== -1) {
        if (at > from) parts.push(value.slice(from, at));
        const mark = h('mark', null, value.slice(at, at + needle.length));
        hits.push(mark);
        parts.push(mark);
        from = at + needle.length;
      }
      if (from < value.length) parts.push(value.slice(from));
      replace(element, parts);
    }
    current = -1;
    if (hits.length > 0) go(1); else replace(count, needle ? 'no hits' : '');
  }

  function go(step) {
    if (hits.length === 0) return;
    hits[current]?.classList.remove('current');
    current = (current + step + hits.length) % hits.length;
    hits[current].classList.add('current');
    hits[current].scrollIntoView({ block: 'center', behavior: 'instant' });
    replace(count, `${current + 1} of ${hits.length}`);
  }

  input.addEventListener('input', () => highlight(input.value.trim()));
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter') { event.preventDefault(); go(event.shiftKey ? -1 : 1); }
  });

  return [
    h('div', { class: 'heading' }, h('h2', { id: 'transcript-title' }, 'Transcript'),
      h('div', { class: 'search', role: 'search' }, h('label', { for: 'transcript-search', class: 'visually-hidden' }, 'Find in transcript'),
        input, previous, next, count)),
    lines.length === 0 ? h('p', { class: 'muted' }, 'The transcript is empty.') : list,
  ];
}
