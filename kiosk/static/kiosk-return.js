// "Been here before?": the kiosk's return-code step, and the return code on the ticket
// screen. The person types the code from an earlier ticket, or (where the browser can read
// QR codes with the tablet's camera) scans it; it goes in the check-in as `return_code`,
// exactly as given: the server reads it, and says (422) when it is not a code at all or
// when nobody has it. Nothing is kept beyond this page's memory.
(() => {
  "use strict";
  const FD = window.FrontDoor;
  const SCAN_EVERY = 250; // ms between looks at the camera's picture

  const $ = (selector, root = document) => root.querySelector(selector);

  // hooks: show(name), step() the step shown now, submit() the check-in again.
  function KioskReturn(data, hooks) {
    const S = data.strings;
    const input = $("#return-code");
    const error = $("#code-error");
    const scanBox = $('[data-field="scan"]');
    const scanButton = $('[data-action="scan"]');
    const stopButton = $('[data-action="stop-scan"]');
    const video = $('[data-field="camera"]');
    const note = $('[data-field="scan-note"]');
    let code = ""; // what the person gave, sent as it is
    let refused = false; // back here because the office could not read the code
    let stream = null;
    let timer = null;
    let canScan = "BarcodeDetector" in window && Boolean(navigator.mediaDevices)
      && typeof navigator.mediaDevices.getUserMedia === "function";

    function problem(text) {
      error.textContent = text;
      error.hidden = !text;
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }

    function open(message = "") {
      refused = Boolean(message);
      input.value = code;
      scanBox.hidden = !canScan;
      scanButton.hidden = false;
      note.textContent = "";
      hooks.show("code");
      problem(message);
      if (message) input.focus();
    }

    // Done here: on to the needs, or (after a refusal) straight to the check-in again. A
    // changed body is a new request, so it goes with a new Idempotency-Key (kiosk.js).
    function done(value) {
      code = (value || "").trim();
      stopCamera();
      if (refused) {
        refused = false;
        hooks.submit();
      } else {
        hooks.show("needs");
      }
    }

    function stopCamera() {
      clearTimeout(timer);
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      stopButton.hidden = true;
      scanButton.hidden = !canScan;
    }

    function cannotScan() {
      stopCamera();
      canScan = false;
      scanButton.hidden = true;
      note.textContent = S.scanOff;
      input.focus();
    }

    async function startCamera() {
      try {
        const formats = BarcodeDetector.getSupportedFormats
          ? await BarcodeDetector.getSupportedFormats() : ["qr_code"];
        if (!formats.includes("qr_code")) return cannotScan();
        const detector = new BarcodeDetector({ formats: ["qr_code"] });
        // The tablet's own camera, the one facing the person holding up their phone.
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false });
        if (hooks.step() !== "code") return stopCamera(); // they left while it started
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        scanButton.hidden = true;
        stopButton.hidden = false;
        note.textContent = S.scanHint;
        const look = async () => {
          if (!stream) return;
          try {
            const found = await detector.detect(video);
            const value = found.length ? found[0].rawValue : "";
            if (value) {
              input.value = value;
              return done(value);
            }
          } catch (err) { /* a frame that could not be read: the next one */ }
          timer = setTimeout(look, SCAN_EVERY);
        };
        look();
      } catch (err) {
        cannotScan(); // refused, no camera, or no reader: typing it is enough
      }
    }

    // The ticket screen: the person's code (while the visit keeps it) and its QR.
    function showOnTicket(ticket) {
      const block = $('[data-field="return-block"]');
      block.hidden = !ticket.return_code;
      if (!ticket.return_code) return;
      $('[data-field="return-words"]').replaceChildren(...FD.codeNodes(S.returnCode, ticket.return_code));
      $('[data-field="return-qr"]').src = `/t/${encodeURIComponent(ticket.token)}/return-code.svg`;
    }

    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); done(input.value); }
    });

    return {
      code: () => code || null,
      // The office could not read it, or nobody has it: back here with the words that say
      // which, and the way on without it.
      refuse: (reason) => open(reason === "unknown_return_code" ? S.codeUnknown : S.codeProblem),
      left(step) { if (step !== "code") stopCamera(); },
      back: () => { const wasRefused = refused; refused = false; stopCamera(); hooks.show(wasRefused ? "phone" : "needs"); },
      showOnTicket,
      actions: {
        "return-code": () => open(),
        "use-code": () => done(input.value),
        "skip-code": () => { input.value = ""; done(""); },
        scan: startCamera,
        "stop-scan": () => { stopCamera(); input.focus(); },
      },
    };
  }

  FD.KioskReturn = KioskReturn;
})();
