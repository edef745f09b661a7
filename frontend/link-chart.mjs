// The link chart (Cytoscape.js): nodes with an icon per kind, links labelled with the
// reports that join them, three layouts, expand / hide / pin, the path between two
// entities, and pictures of the chart (PNG, SVG). The page's list of links, path form and
// file exports carry the same content without JavaScript and for screen readers, so the
// canvas itself is hidden from assistive technology.
const data = document.getElementById("chart-elements");
const container = document.getElementById("chart-graph");

const colours = {
  person: "#1d70b8",
  location: "#00703c",
  business: "#4c2c92",
  vehicle: "#7a4e00",
  phone: "#d4351c",
  email: "#912b88",
  online_profile: "#005a52",
  bank_account: "#505a5f",
};

const edgeWidth = (edge) => Math.min(10, 1.5 + 2 * Math.log2(edge.data("count") || 1));

const style = (icons) => [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "background-color": (node) => colours[node.data("kind")] ?? "#505a5f",
      "background-image": (node) => icons[node.data("kind")] ?? "none",
      "background-width": "60%",
      "background-height": "60%",
      color: "#0b0c0c",
      "font-size": 12,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "ellipsis",
      "text-max-width": 150,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
      width: 30,
      height: 30,
    },
  },
  { selector: "node[?root]", style: { width: 44, height: 44, "font-weight": "bold" } },
  {
    selector: "node[?notEvidence]",
    style: { "border-width": 3, "border-style": "dashed", "border-color": "#505a5f" },
  },
  { selector: "node.pinned", style: { "border-width": 4, "border-color": "#0b0c0c" } },
  { selector: "node:selected", style: { "overlay-color": "#ffdd00", "overlay-opacity": 0.5 } },
  {
    selector: "node.on-path",
    style: { "border-width": 5, "border-color": "#ffdd00", "border-style": "solid" },
  },
  {
    selector: ":parent",
    style: {
      "background-color": "#f3f2f1",
      "background-image": "none",
      "border-color": "#b1b4b6",
      "border-width": 1,
      label: "data(label)",
      "text-valign": "top",
      "font-weight": "bold",
      shape: "round-rectangle",
    },
  },
  {
    selector: "edge",
    style: {
      width: edgeWidth,
      "line-color": "#8a9094",
      "curve-style": "bezier",
      label: "data(label)",
      "font-size": 10,
      color: "#0b0c0c",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 1,
    },
  },
  { selector: "edge.on-path", style: { "line-color": "#ffdd00", width: 8, "z-index": 10 } },
];

// fCoSE (ADR 0029): force-directed, with labels counted in each node's size so that they
// do not overlap; it lays 500 nodes out in a fraction of the time of Cytoscape's own cose.
const force = {
  name: "fcose",
  quality: "default",
  animate: false,
  nodeDimensionsIncludeLabels: true,
  nodeRepulsion: () => 8000,
  idealEdgeLength: () => 90,
  nodeSeparation: 80,
  packComponents: true,
};

const layouts = {
  force,
  hierarchy: {
    name: "breadthfirst",
    animate: false,
    directed: false,
    spacingFactor: 1.1,
    nodeDimensionsIncludeLabels: true,
  },
  kind: force,
};

if (data && container) {
  const marker = document.createElement("meta");
  // Cytoscape adds an inline <style> unless this element exists; the CSP refuses it.
  marker.id = "__________cytoscape_stylesheet";
  document.head.append(marker);
  const { default: cytoscape } = await import("../vendor/cytoscape.esm.min.mjs");
  cytoscape.use(window.cytoscapeFcose);
  const status = document.getElementById("chart-status");
  const tools = document.getElementById("chart-tools");
  const drawnExports = document.getElementById("chart-drawn-exports");
  const filters = document.getElementById("chart-filters");
  const layoutChoice = document.getElementById("chart-layout");
  const roots = [...filters.querySelectorAll("input[name=entity]")].map((input) => input.value);
  const expanded = new Set();
  let hidden = cytoscape().collection();

  container.hidden = false;
  tools.hidden = false;
  drawnExports.hidden = false;
  const graph = cytoscape({
    container,
    elements: JSON.parse(data.textContent),
    style: style(JSON.parse(document.getElementById("chart-icons").textContent)),
    wheelSensitivity: 0.3,
  });
  window.lanternChart = graph;

  const say = (text) => {
    status.textContent = text;
  };

  const filterQuery = () => {
    const query = new URLSearchParams(new FormData(filters));
    query.delete("entity");
    return query;
  };

  // The chart as exports and reloads name it: the entities it started from, those
  // expanded since, and those hidden.
  const chartQuery = () => {
    const query = filterQuery();
    for (const pk of [...roots, ...expanded]) query.append("entity", pk);
    hidden.nodes().forEach((node) => query.append("hide", node.data("pk")));
    return query;
  };

  const refreshExportLinks = () => {
    for (const type of ["graphml", "csv"]) {
      const link = document.getElementById(`export-${type}`);
      link.href = `${link.href.split("?")[0]}?${chartQuery()}`;
    }
  };

  const removeGroups = () => {
    graph.nodes().forEach((node) => {
      if (node.isChild()) node.move({ parent: null });
    });
    graph.remove("node.kind-group");
  };

  const addGroups = () => {
    const kinds = new Map();
    graph.nodes("[kind]").forEach((node) => kinds.set(node.data("kind"), node.data("kindLabel")));
    for (const [kind, label] of kinds) {
      graph.add({ group: "nodes", data: { id: `group-${kind}`, label }, classes: "kind-group" });
    }
    graph.nodes("[kind]").forEach((node) => node.move({ parent: `group-${node.data("kind")}` }));
  };

  let laidOut = false;
  const runLayout = () => {
    const name = layoutChoice.value;
    const started = performance.now();
    removeGroups();
    if (name === "kind") addGroups();
    const options = { ...layouts[name] };
    if (name === "hierarchy") options.roots = graph.nodes("[?root]");
    if (options.name === "fcose") {
      // The first layout starts afresh; later ones from where things are, so that an
      // expansion does not scatter what the analyst has already read.
      options.randomize = !laidOut;
      options.fixedNodeConstraint = graph
        .nodes(".pinned")
        .map((node) => ({ nodeId: node.id(), position: { ...node.position() } }));
    }
    laidOut = true;
    graph.layout(options).run();
    graph.fit(undefined, 30);
    container.dataset.layoutMs = String(Math.round(performance.now() - started));
  };

  const selected = () => graph.nodes(":selected").filter((node) => !node.isParent());

  const updateButtons = () => {
    const chosen = selected();
    for (const action of ["expand", "hide", "pin"]) {
      tools.querySelector(`[data-chart-action=${action}]`).disabled = chosen.empty();
    }
    if (chosen.nonempty()) {
      const node = chosen[0];
      say(`${node.data("label")} (${node.data("kindLabel")}): ${node.degree(false)}`);
    }
  };

  // The path form offers every entity drawn, as the page offered those it drew first.
  const refreshPathChoices = () => {
    const nodes = graph
      .nodes("[kind]")
      .sort((a, b) => a.data("label").localeCompare(b.data("label")));
    for (const select of [document.getElementById("path-from"), document.getElementById("path-to")]) {
      const chosen = select.value;
      select.replaceChildren(
        ...nodes.map(
          (node) => new Option(`${node.data("label")} (${node.data("kindLabel")})`, node.data("pk")),
        ),
      );
      select.value = chosen;
    }
  };

  const merge = (elements, near) => {
    const fresh = elements.filter((element) => graph.getElementById(element.data.id).empty());
    const known = new Set(hidden.map((element) => element.id()));
    const at = near ? near.position() : { x: 0, y: 0 };
    graph.add(
      fresh
        .filter((element) => !known.has(element.data.id))
        .map((element) =>
          element.data.source
            ? element
            : {
                ...element,
                position: { x: at.x + Math.random() * 40 - 20, y: at.y + Math.random() * 40 - 20 },
              },
        ),
    );
    refreshPathChoices();
    return fresh.length;
  };

  // One expansion at a time, and a node asked for twice (a double click repeated, the
  // button pressed again) once: the answers arrive in order and nothing is fetched twice.
  let expansions = Promise.resolve();
  const pending = new Set();
  const expand = (node) => {
    const pk = String(node.data("pk"));
    if (pending.has(pk)) return expansions;
    pending.add(pk);
    expansions = expansions
      .then(() => expandNow(node))
      // A failed request (the network, not the server) must not stop later expansions.
      .catch(() => say(status.dataset.failed ?? ""))
      .finally(() => pending.delete(pk));
    return expansions;
  };

  const expandNow = async (node) => {
    const query = filterQuery();
    query.set("entity", node.data("pk"));
    const response = await fetch(`${container.dataset.expandUrl}?${query}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      say(status.dataset.failed ?? String(response.status));
      return;
    }
    const body = await response.json();
    const added = merge(body.elements, node);
    expanded.add(String(node.data("pk")));
    node.data("root", true);
    runLayout();
    refreshExportLinks();
    say(`${node.data("label")}: +${added}`);
    container.dataset.expanded = String(expanded.size);
  };

  const actions = {
    expand: () => selected().forEach((node) => expand(node)),
    hide: () => {
      const chosen = selected();
      hidden = hidden.union(chosen.union(chosen.connectedEdges()));
      graph.remove(chosen);
      refreshExportLinks();
      updateButtons();
    },
    pin: () =>
      selected().forEach((node) => {
        if (node.locked()) {
          node.unlock();
          node.removeClass("pinned");
        } else {
          node.lock();
          node.addClass("pinned");
        }
      }),
    show: () => {
      hidden.restore();
      hidden = cytoscape().collection();
      refreshExportLinks();
      runLayout();
    },
    png: () => drawn("png"),
    svg: () => drawn("svg"),
  };

  const escapeXml = (text) =>
    String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // An SVG of what the chart shows, from the positions the layout gave each element.
  const svgOf = () => {
    const box = graph.elements().boundingBox({ includeLabels: true });
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x1 - 10} ${box.y1 - 10} ${box.w + 20} ${box.h + 20}" font-family="sans-serif">`,
      `<rect x="${box.x1 - 10}" y="${box.y1 - 10}" width="${box.w + 20}" height="${box.h + 20}" fill="#ffffff"/>`,
    ];
    graph.edges().forEach((edge) => {
      const [from, to] = [edge.source().position(), edge.target().position()];
      parts.push(
        `<line x1="${from.x}" y1="${from.y}" x2="${to.x}" y2="${to.y}" stroke="#8a9094" stroke-width="${edgeWidth(edge)}"><title>${escapeXml(edge.data("roles"))}</title></line>`,
        `<text x="${(from.x + to.x) / 2}" y="${(from.y + to.y) / 2}" font-size="10" text-anchor="middle">${escapeXml(edge.data("label"))}</text>`,
      );
    });
    graph.nodes("[kind]").forEach((node) => {
      const { x, y } = node.position();
      const radius = node.width() / 2;
      parts.push(
        `<circle cx="${x}" cy="${y}" r="${radius}" fill="${colours[node.data("kind")] ?? "#505a5f"}"><title>${escapeXml(node.data("kindLabel"))}</title></circle>`,
        `<text x="${x}" y="${y + radius + 14}" font-size="12" text-anchor="middle">${escapeXml(node.data("label"))}</text>`,
      );
    });
    parts.push("</svg>");
    return new Blob([parts.join("\n")], { type: "image/svg+xml" });
  };

  const save = (blob, name) => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  // Recorded as an export first: no picture leaves without its audit entry.
  const drawn = async (type) => {
    const form = new FormData(document.getElementById("chart-drawn-form"));
    form.set("type", type);
    form.set("nodes", String(graph.nodes("[kind]").length));
    for (const pk of [...roots, ...expanded]) form.append("entity", pk);
    const response = await fetch(container.dataset.drawnUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": form.get("csrfmiddlewaretoken") },
    });
    if (!response.ok) return;
    const blob =
      type === "png" ? graph.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }) : svgOf();
    save(blob, `link-chart.${type}`);
  };

  tools.addEventListener("click", (event) => {
    const button = event.target.closest("[data-chart-action]");
    if (button) actions[button.dataset.chartAction]();
  });
  drawnExports.addEventListener("click", (event) => {
    const button = event.target.closest("[data-chart-action]");
    if (button) actions[button.dataset.chartAction]();
  });
  layoutChoice.addEventListener("change", runLayout);
  graph.on("select unselect", "node", updateButtons);
  graph.on("dbltap", "node[kind]", (event) => expand(event.target));

  // The path: asked of the server (it searches beyond what is drawn), then drawn.
  const pathForm = document.getElementById("chart-path");
  pathForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = filterQuery();
    query.set("from", pathForm.elements.from.value);
    query.set("to", pathForm.elements.to.value);
    const response = await fetch(`${container.dataset.pathUrl}?${query}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const body = await response.json();
    graph.elements().removeClass("on-path");
    const result = document.getElementById("path-result");
    result.replaceChildren();
    if (!body.found) {
      result.textContent = pathForm.dataset.none ?? "";
      say(pathForm.dataset.none ?? "");
      return;
    }
    merge(body.elements);
    body.elements.forEach((element) => graph.getElementById(element.data.id).addClass("on-path"));
    const list = document.createElement("ol");
    list.className = "govuk-list govuk-list--number";
    for (const id of body.steps) {
      const node = graph.getElementById(id);
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = node.data("url");
      link.textContent = node.data("label");
      item.append(link, ` (${node.data("kindLabel")})`);
      list.append(item);
    }
    result.append(list);
    runLayout();
    say(body.steps.map((id) => graph.getElementById(id).data("label")).join(" → "));
  });

  // Filters reload the page with the entities expanded since, so nothing is lost.
  filters.addEventListener("submit", () => {
    for (const pk of expanded) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "entity";
      input.value = pk;
      filters.append(input);
    }
  });

  runLayout();
}
