// Single-key shortcuts on the match review page (c, r, u, n). WCAG 2.1.4: they are off
// until the analyst turns them on (remembered in this browser), never act while typing in
// a field or with a modifier key held, and each only presses a button or link that is on
// the page and reachable by keyboard anyway.
const toggle = document.getElementById("review-shortcuts");
const STORAGE_KEY = "lantern.review-shortcuts";

if (toggle) {
  toggle.disabled = false;
  toggle.checked = window.localStorage.getItem(STORAGE_KEY) === "on";
  toggle.addEventListener("change", () => {
    window.localStorage.setItem(STORAGE_KEY, toggle.checked ? "on" : "off");
  });
  document.addEventListener("keydown", (event) => {
    if (!toggle.checked || event.altKey || event.ctrlKey || event.metaKey || event.repeat) {
      return;
    }
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const action = document.querySelector(`[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
    if (action) {
      event.preventDefault();
      action.click();
    }
  });
}
