// The time-out warning (WCAG 2.2.1, Timing adjustable), after the GOV.UK/HMRC timeout
// dialog: some time before the session ends, a modal dialog takes the focus, says how long
// is left (a polite live region announces it, not every second) and lets the user stay;
// the button and Escape both extend the session. When time runs out the page goes where
// the server said, which explains what happened. Without this script the page states the
// limit in words, and nothing else changes.
//
// Every page load renews the session, and another tab may load a page: the time of the
// last request is shared through localStorage so that one tab does not sign out a user
// who is busy in another.

const STORAGE_KEY = "lantern-session-activity";

const pluralRules = new Intl.PluralRules(document.documentElement.lang || "en");

function describe(dialog, remaining) {
  const minutes = Math.floor(remaining / 60);
  const seconds = remaining % 60;
  const unit = (count, one, other) =>
    `${count} ${pluralRules.select(count) === "one" ? dialog.dataset[one] : dialog.dataset[other]}`;
  const parts = [];
  if (minutes > 0) parts.push(unit(minutes, "textMinute", "textMinutes"));
  if (seconds > 0 || minutes === 0) parts.push(unit(seconds, "textSecond", "textSeconds"));
  return parts.join(" ");
}

function lastActivity(fallback) {
  try {
    return Math.max(Number(window.localStorage.getItem(STORAGE_KEY)) || 0, fallback);
  } catch {
    return fallback;
  }
}

function recordActivity(time) {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // Storage refused (private mode): each tab keeps its own time.
  }
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const limit = Number(dialog.dataset.seconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const announcement = dialog.querySelector("[data-announcement]");
  const form = dialog.querySelector("form");
  const visibleMessage = countdown.closest("p");
  let start = Date.now();
  let ticker = null;
  let opener = null;
  let lastAnnounced = null;

  recordActivity(start);

  const remainingSeconds = () => Math.max(0, Math.ceil((start + limit - Date.now()) / 1000));

  const announce = (remaining) => {
    // Announce on opening, then each minute and at 30 and 10 seconds left: often enough
    // to know, not so often that a screen reader talks over everything else.
    const due =
      lastAnnounced === null ||
      (remaining % 60 === 0 && remaining !== lastAnnounced) ||
      remaining === 30 ||
      remaining === 10;
    if (due) {
      lastAnnounced = remaining;
      announcement.textContent = visibleMessage.textContent.replace(/\s+/g, " ").trim();
    }
  };

  const tick = () => {
    start = lastActivity(start);
    const remaining = remainingSeconds();
    if (remaining * 1000 > warning) {
      close();
      return;
    }
    if (remaining === 0) {
      window.clearInterval(ticker);
      window.location.assign(dialog.dataset.timedOutUrl);
      return;
    }
    countdown.textContent = describe(dialog, remaining);
    announce(remaining);
  };

  const open = () => {
    if (dialog.open) return;
    opener = document.activeElement;
    lastAnnounced = null;
    countdown.textContent = describe(dialog, remainingSeconds());
    dialog.showModal();
    dialog.querySelector("[data-extend]").focus();
    tick();
    ticker = window.setInterval(tick, 1000);
  };

  function close() {
    window.clearInterval(ticker);
    ticker = null;
    if (dialog.open) dialog.close();
    announcement.textContent = "";
    if (opener && typeof opener.focus === "function") opener.focus();
    opener = null;
  }

  const extend = async () => {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const body = response.ok ? await response.json() : { active: false };
    if (!body.active) {
      window.location.assign(dialog.dataset.timedOutUrl);
      return;
    }
    start = Date.now();
    recordActivity(start);
    close();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    extend();
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape: stay, as the button does (the dialog must not just vanish).
    event.preventDefault();
    extend();
  });

  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY) tick();
  });
  // Timers are throttled in background tabs: check again whenever the page comes back.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) watch();
  });

  function watch() {
    start = lastActivity(start);
    const remaining = remainingSeconds() * 1000;
    if (remaining <= warning) open();
  }

  window.setInterval(watch, 1000);
}
