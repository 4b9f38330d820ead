const keyName = 'recordingfunctions.functionKey';

export const functionKey = {
  get: () => sessionStorage.getItem(keyName),
  set: key => sessionStorage.setItem(keyName, key),
  clear: () => sessionStorage.removeItem(keyName),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The app answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const all = { Accept: 'application/json', ...extra };
  const key = functionKey.get();
  if (key) all['x-functions-key'] = key;
  return all;
}

/** Calls one of the page's routes under /api/page/ and returns its JSON; throws ApiError with the problem details. */
export async function call(method, path, body) {
  const response = await fetch('/api/page/' + path, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('page:unauthorized'));
    throw new ApiError(response.status, json);
  }
  return json;
}

export const recordingPath = id => `recordings/${encodeURIComponent(id)}`;

export function fileUrl(id, name) {
  return `/api/page/${recordingPath(id)}/files/${encodeURIComponent(name)}`;
}

/** An archived file's content, with the function key when the page has one. */
export async function file(id, name) {
  const response = await fetch(fileUrl(id, name), { headers: headers({ Accept: '*/*' }), credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, null);
  return response;
}

/** Saves an archived file: through a Blob, so that the key travels in a header and never in a URL. */
export async function download(id, name) {
  const blob = await (await file(id, name)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
