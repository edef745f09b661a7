// "Copy link" buttons: progressive enhancement of a read-only field holding a link.
// Without JavaScript the field is there to select and copy by hand, and the button is not
// shown; with it, the button copies the link and a live region says so.
export function initCopyLinks(root = document) {
  for (const group of root.querySelectorAll("[data-copy-link]")) {
    const field = group.querySelector("input");
    const button = group.querySelector("button");
    const status = group.querySelector("[role=status]");
    if (!field || !button || !status) continue;
    field.addEventListener("focus", () => field.select());
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = group.dataset.copiedMessage;
      } catch {
        status.textContent = group.dataset.copyFailedMessage;
      }
    });
  }
}
