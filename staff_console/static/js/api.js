// Talking to the staff API: the session cookie, the CSRF token on every request, the
// server's error answer kept whole (code, message, per-field errors) for the page to show.
import { config } from "./base.js";

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || "Something went wrong.");
    this.status = status;
    this.code = error.code || "error";
    this.fields = error.fields || {};
    this.body = error;
  }

  // The message with any field errors after it, for a status line.
  get sentence() {
    // A field's words that only repeat the message are not said twice.
    const fields = [...new Set(Object.values(this.fields))].filter((text) => text !== this.message).join(" ");
    return fields ? `${this.message} ${fields}` : this.message;
  }
}

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export function signedOut() {
  window.location.assign("/console/?signed_out=expired");
}

// `background`: not the manager's doing, so it must not keep an idle session alive.
// `key`: an Idempotency-Key, so a retry after a lost answer does the thing only once.
// `ifMatch`: the version read, so a change someone made since refuses this one (412).
// Answers the parsed body (null for 204); throws ApiError on any refusal.
export async function api(method, path, { body, background = false, key, ifMatch } = {}) {
  const headers = { "X-CSRFToken": config.csrfToken };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (background) headers["X-Frontdoor-Background"] = "1";
  if (key) headers["Idempotency-Key"] = key;
  if (ifMatch) headers["If-Match"] = `"${ifMatch}"`;
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    signedOut();
    throw new ApiError(401, { code: "not_signed_in", message: "Signed out." });
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (data && data.error) || {});
  return data;
}
