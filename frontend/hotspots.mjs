// The hotspot map: each area a circle sized by its number of reports (progressive
// enhancement; the table "Reports by local authority area" holds the same figures).
// Leaflet is loaded before this module as a classic script (window.L). Tiles are drawn
// only when the server names a tile server; otherwise the circles sit on a blank map and
// no request leaves Lantern.
const L = window.L;
const section = document.getElementById("hotspot-map-section");
const container = document.getElementById("hotspot-map");
const source = document.getElementById("hotspot-data");

const MIN_RADIUS = 4;
const MAX_RADIUS = 36;

function radius(count, largest) {
  if (!count) {
    return MIN_RADIUS;
  }
  // Area, not radius, grows with the count, so that twice the reports look twice as big.
  return Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(count / largest));
}

function element(text) {
  // Leaflet would read a string as HTML: an element with textContent cannot inject any.
  const element = document.createElement("span");
  element.textContent = text;
  return element;
}

function draw(data) {
  const areas = data.areas;
  if (!L || areas.length === 0) {
    return;
  }
  section.hidden = false;
  container.style.height = "28rem";
  const tiles = data.tiles.url;
  // The wheel scrolls the page, not the map: the zoom buttons and keyboard zoom it.
  const map = L.map(container, {
    attributionControl: Boolean(tiles),
    scrollWheelZoom: false,
    zoomControl: false,
  });
  // The zoom buttons in the page's language (Leaflet's own titles are English only).
  L.control
    .zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut })
    .addTo(map);
  if (tiles) {
    L.tileLayer(tiles, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  const largest = Math.max(1, ...areas.map((area) => area.count));
  const points = areas.map((area) => {
    const size = radius(area.count, largest);
    const marker = L.circleMarker([area.lat, area.lon], {
      radius: size,
      color: "#1d3a5f",
      weight: 2,
      fillColor: area.count > area.previous ? "#d4351c" : "#1d70b8",
      fillOpacity: area.count ? 0.55 : 0.15,
    });
    // Without tiles nothing else names the places: their short labels stay on show.
    marker.bindTooltip(element(area.label), {
      permanent: !tiles,
      direction: "right",
      offset: [size, 0],
    });
    marker.bindPopup(element(area.text));
    return marker.addTo(map);
  });
  map.fitBounds(L.featureGroup(points).getBounds(), { padding: [MAX_RADIUS, MAX_RADIUS] });
  // Keyboard users reach each circle too: a focusable button named by its figures, whose
  // Enter or Space opens the same pop-up as a click. (The circles' shapes exist once the
  // map has a view, after fitBounds.)
  points.forEach((marker, index) => {
    const shape = marker.getElement();
    if (!shape) {
      return;
    }
    shape.setAttribute("tabindex", "0");
    shape.setAttribute("role", "button");
    shape.setAttribute("aria-label", areas[index].text);
    shape.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        marker.openPopup();
      }
    });
  });
}

if (section && container && source) {
  draw(JSON.parse(source.textContent));
}
