// A filter for long lists of checkboxes (choosing organisations to task or to share with):
// typing part of a name shows only the choices that contain it, so that a keyboard user
// does not Tab through 45 boxes. Ticked boxes stay on show, a polite live region says how
// many are shown and ticked, and Enter in the filter does not send the form. Without this
// script the full list of checkboxes works as before.

function fold(text) {
  // Case and accents do not matter: "societe" finds "Société".
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => String(values[name] ?? match));
}

export function initCheckboxFilter(group) {
  const items = [...group.querySelectorAll(".govuk-checkboxes__item")];
  const id = `${group.id || "choices"}-filter`;
  const wrapper = document.createElement("div");
  wrapper.className = "govuk-form-group lantern-checkbox-filter";
  const label = document.createElement("label");
  label.className = "govuk-label";
  label.htmlFor = id;
  label.textContent = group.dataset.filterLabel;
  const hint = document.createElement("div");
  hint.className = "govuk-hint";
  hint.id = `${id}-hint`;
  hint.textContent = group.dataset.filterHint;
  const input = document.createElement("input");
  input.className = "govuk-input govuk-!-width-two-thirds";
  input.id = id;
  input.type = "search";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-describedby", `${id}-hint ${id}-status`);
  input.setAttribute("aria-controls", group.id);
  const status = document.createElement("p");
  status.className = "govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0";
  status.id = `${id}-status`;
  status.setAttribute("aria-live", "polite");
  wrapper.append(label, hint, input, status);
  group.before(wrapper);

  const update = () => {
    const query = fold(input.value);
    let shown = 0;
    let selected = 0;
    for (const item of items) {
      const box = item.querySelector("input[type=checkbox]");
      const text = fold(item.querySelector("label")?.textContent ?? "");
      const visible = box.checked || query === "" || text.includes(query);
      item.hidden = !visible;
      if (visible) shown += 1;
      if (box.checked) selected += 1;
    }
    status.textContent = format(group.dataset.filterStatus, {
      shown,
      total: items.length,
      selected,
    });
  };

  input.addEventListener("input", update);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  group.addEventListener("change", update);
  update();
}

export function initCheckboxFilters(root = document) {
  for (const group of root.querySelectorAll(".govuk-checkboxes[data-filter-label]")) {
    initCheckboxFilter(group);
  }
}
