// Calls to the JSON API; every failure becomes an ApiError with the server's kind and message.
export class ApiError extends Error {
  constructor(status, kind, message, position) {
    super(message);
    this.status = status;
    this.kind = kind;
    this.position = position;
  }
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (response.ok && body !== null) return body;
  const error = (body && body.error) || {};
  const message =
    error.message ||
    (response.status === 503
      ? "The server is busy; try again in a moment."
      : `The server answered ${response.status}.`);
  throw new ApiError(response.status, error.kind || "Error", message, error.position ?? null);
}

// GET /api/<path>?params, aborted by `signal`.
export async function get(path, params, signal) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const response = await fetch(`/api/${path}?${query}`, { signal, headers: { Accept: "application/json" } });
  return answer(response);
}

// POST /api/<path> with a JSON body.
export async function post(path, body, signal) {
  const response = await fetch(`/api/${path}`, {
    method: "POST",
    signal,
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return answer(response);
}

// Insert the server's rendered HTML (steps or MathML): the one place the page uses innerHTML,
// and only for what sigderiv rendered, never for the user's text.
export function insertRendered(target, html) {
  target.innerHTML = html;
}
