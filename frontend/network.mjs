// The entity page's network as a graph (Cytoscape.js). The list of linked entities beside
// it carries the same information for screen readers and for browsers without JavaScript,
// so the graph is hidden from assistive technology.
const data = document.getElementById("network-elements");
const container = document.getElementById("network-graph");

const colours = {
  person: "#1d70b8",
  location: "#00703c",
  business: "#6f72af",
  vehicle: "#b58840",
  phone: "#d4351c",
  email: "#912b88",
  online_profile: "#28a197",
  bank_account: "#505a5f",
};

if (data && container) {
  const elements = JSON.parse(data.textContent);
  if (elements.some((element) => element.data.hop > 0)) {
    container.hidden = false;
    // Cytoscape adds an inline <style> for its container unless an element with this id
    // exists; the site's CSP refuses inline styles, so the rule is in lantern.scss instead.
    const marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.append(marker);
    const { default: cytoscape } = await import("../vendor/cytoscape.esm.min.mjs");
    const graph = cytoscape({
      container,
      elements,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "background-color": (node) => colours[node.data("kind")] ?? "#505a5f",
            color: "#0b0c0c",
            "font-size": 12,
            "text-wrap": "ellipsis",
            "text-max-width": 140,
            width: (node) => (node.data("hop") === 0 ? 32 : 20),
            height: (node) => (node.data("hop") === 0 ? 32 : 20),
          },
        },
        { selector: "edge", style: { width: 1.5, "line-color": "#b1b4b6" } },
      ],
      layout: {
        name: "concentric",
        concentric: (node) => 3 - node.data("hop"),
        levelWidth: () => 1,
        minNodeSpacing: 24,
      },
    });
    graph.on("tap", "node", (event) => {
      window.location.assign(event.target.data("url"));
    });
  }
}
