// Progressive enhancement only: every page works without this script.
import { initAll } from "../vendor/govuk-frontend.min.js";
import { initCheckboxFilters } from "./checkbox-filter.mjs";
import { initCopyLinks } from "./copy-link.mjs";
import { initSessionTimeout } from "./session-timeout.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initSessionTimeout(document.getElementById("session-timeout"));
initCheckboxFilters();
initCopyLinks();
