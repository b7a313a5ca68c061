// Idle sign-out: a warning with a way to stay, then a real sign-out (the form posts, so
// the server ends the session too). The server keeps its own idle clock, so activity that
// makes no request (typing a long note) is reported, at most once a minute.
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"];
const PING_EVERY_MS = 60000;

function ping(csrfToken) {
  fetch("/api/v1/auth/me", { credentials: "same-origin", headers: { "X-CSRFToken": csrfToken } })
    .then((r) => {
      if (r.status === 401) window.location.assign("/console/?signed_out=expired");
    })
    .catch(() => {});
}

export function startIdleClock({ idleSeconds, idleWarningSeconds, csrfToken }) {
  const dialog = document.querySelector("[data-idle]");
  const left = document.querySelector("[data-idle-left]");
  const form = document.querySelector("[data-sign-out]");
  if (!dialog || !form || !idleSeconds) return;
  let lastActive = Date.now();
  let lastPing = Date.now();

  for (const type of ACTIVITY) {
    document.addEventListener(
      type,
      () => {
        if (dialog.open) return; // only "Stay signed in" counts once warned
        lastActive = Date.now();
        if (lastActive - lastPing > PING_EVERY_MS) {
          lastPing = lastActive;
          ping(csrfToken);
        }
      },
      { passive: true },
    );
  }
  document.querySelector("[data-stay]").addEventListener("click", () => {
    lastActive = Date.now();
    lastPing = lastActive;
    dialog.close();
    ping(csrfToken); // keeps the server's session alive too
  });
  setInterval(() => {
    const remaining = idleSeconds - (Date.now() - lastActive) / 1000;
    if (remaining <= 0) {
      form.reason.value = "idle";
      form.submit();
    } else if (remaining <= idleWarningSeconds) {
      left.textContent = `${Math.floor(remaining / 60)}:${String(Math.floor(remaining % 60)).padStart(2, "0")}`;
      if (!dialog.open) dialog.showModal();
    }
  }, 1000);
}
