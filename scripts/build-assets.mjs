// Builds Lantern's front-end assets into src/lantern/static/ (ignored by git).
// GOV.UK Frontend and MOJ Frontend are compiled from Sass so that Lantern uses its own
// typeface and header: no GOV.UK crown, logo or GDS Transport font is shipped.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "src", "lantern", "static");
const modules = join(root, "node_modules");

rmSync(output, { recursive: true, force: true });
mkdirSync(join(output, "lantern"), { recursive: true });
mkdirSync(join(output, "vendor"), { recursive: true });

const fontStack = 'system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
const compile = (name) =>
  sass
    .compile(join(root, "frontend", name), {
      loadPaths: [root, modules],
      style: "compressed",
      quietDeps: true,
      logger: sass.Logger.silent,
    })
    .css.replaceAll('"GDS Transport",arial,sans-serif', fontStack);
const css = [compile("lantern.scss"), compile("moj.scss")].join("\n");
if (css.includes("GDS Transport")) {
  throw new Error("GOV.UK's typeface leaked into Lantern's stylesheet");
}
writeFileSync(join(output, "lantern", "lantern.css"), css);

cpSync(join(root, "frontend", "lantern.mjs"), join(output, "lantern", "lantern.mjs"));
cpSync(join(root, "frontend", "checkbox-filter.mjs"), join(output, "lantern", "checkbox-filter.mjs"));
cpSync(join(root, "frontend", "session-timeout.mjs"), join(output, "lantern", "session-timeout.mjs"));
cpSync(join(root, "frontend", "copy-link.mjs"), join(output, "lantern", "copy-link.mjs"));
cpSync(join(root, "frontend", "hotspots.mjs"), join(output, "lantern", "hotspots.mjs"));
cpSync(join(root, "frontend", "match-review.mjs"), join(output, "lantern", "match-review.mjs"));
cpSync(join(root, "frontend", "link-chart.mjs"), join(output, "lantern", "link-chart.mjs"));
cpSync(join(root, "frontend", "admin.css"), join(output, "lantern", "admin.css"));
cpSync(join(root, "frontend", "images"), join(output, "lantern", "images"), { recursive: true });
cpSync(
  join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"),
  join(output, "vendor", "govuk-frontend.min.js"),
);
cpSync(
  join(modules, "@ministryofjustice", "frontend", "moj", "moj-frontend.min.js"),
  join(output, "vendor", "moj-frontend.min.js"),
);
// Leaflet (the hotspot map): script, its source map, stylesheet and the images it names.
for (const name of ["leaflet.js", "leaflet.js.map", "leaflet.css", "images"]) {
  cpSync(join(modules, "leaflet", "dist", name), join(output, "vendor", "leaflet", name), {
    recursive: true,
  });
}
// Cytoscape.js (the link chart), as an ES module that link-chart.mjs imports.
cpSync(
  join(modules, "cytoscape", "dist", "cytoscape.esm.min.mjs"),
  join(output, "vendor", "cytoscape.esm.min.mjs"),
);
// fCoSE, Cytoscape's fast force-directed layout (ADR 0027): three UMD scripts that set
// window.layoutBase, window.coseBase and window.cytoscapeFcose, in that order.
for (const [name, file] of [
  ["layout-base", "layout-base.js"],
  ["cose-base", "cose-base.js"],
  ["cytoscape-fcose", "cytoscape-fcose.js"],
]) {
  cpSync(join(modules, name, file), join(output, "vendor", file));
}
// Images the stylesheets refer to (WhiteNoise's manifest storage refuses a missing one).
cpSync(
  join(modules, "govuk-frontend", "dist", "govuk", "assets", "images"),
  join(output, "vendor", "govuk", "images"),
  { recursive: true },
);
cpSync(
  join(modules, "@ministryofjustice", "frontend", "moj", "assets", "images"),
  join(output, "vendor", "moj", "images"),
  { recursive: true },
);
console.log(`Built front-end assets into ${output}`);
