import { call, functionKey } from './api.js';
import { h, replace } from './dom.js';
import { listView } from './list.js';
import { recordingView } from './recording.js';
import { startView } from './start.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
let session = null;
let dispose = () => {};

async function loadSession() {
  session = await call('GET', 'session');
  const labels = { loopback: 'open on this machine', signed_in: session.name, function_key: 'with a function key' };
  replace(who,
    session.access === 'none' ? '' : h('span', { 'data-testid': 'access' }, labels[session.access] ?? ''),
    session.access === 'function_key' ? h('button', { type: 'button', class: 'link', onclick: forgetKey }, 'Forget key') : null,
    session.access === 'signed_in' && session.sign_out_url ? h('a', { href: session.sign_out_url }, 'Sign out') : null);
  return session;
}

function forgetKey() {
  functionKey.clear();
  start();
}

/** Shown when the app lets nobody in without sign-in or a key: sign-in when it is set up, and a key form. */
function askForAccess(message) {
  dispose();
  const input = h('input', { id: 'function-key', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'key-help' });
  replace(main, h('section', { class: 'panel access' },
    h('h1', null, 'Sign in to read the recordings'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    session?.sign_in_url ? h('p', null, h('a', { class: 'button primary', href: session.sign_in_url }, 'Sign in with Microsoft')) : null,
    h('form', {
      class: 'key-form', onsubmit: async event => {
        event.preventDefault();
        functionKey.set(input.value.trim());
        await start(true);
      },
    },
      h('label', { for: 'function-key' }, 'Function key'),
      input,
      h('p', { id: 'key-help', class: 'muted' }, 'Kept in this browser tab only (session storage) and sent as the x-functions-key header.'),
      h('button', { type: 'submit', class: 'primary' }, 'Use this key'))));
  input.focus();
}

function route() {
  dispose();
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean);
  document.querySelectorAll('header nav a').forEach(a =>
    a.classList.toggle('current', a.getAttribute('href') === (parts[0] === 'start' ? '#/start' : '#/')));
  if (parts[0] === 'recordings' && parts[1]) dispose = recordingView(main, decodeURIComponent(parts[1]));
  else if (parts[0] === 'start') dispose = startView(main);
  else dispose = listView(main, session, params);
}

async function start(afterKey = false) {
  try {
    await loadSession();
  } catch (error) {
    replace(main, h('p', { class: 'error', role: 'alert' }, `The app did not answer: ${error.message}`));
    return;
  }
  if (session.access === 'none') {
    if (afterKey) functionKey.clear();
    askForAccess(afterKey ? 'That key was not accepted.' : null);
    return;
  }
  route();
}

window.addEventListener('hashchange', () => { if (session && session.access !== 'none') route(); });
window.addEventListener('page:unauthorized', () => { functionKey.clear(); start(); });
start();
