(function () {
  "use strict";
  // Charts: every .chart div names the JSON script holding its plotly figure.
  document.querySelectorAll(".chart").forEach(function (div) {
    var fig = JSON.parse(document.getElementById(div.dataset.figure).textContent);
    Plotly.newPlot(div, fig.data, fig.layout, {responsive: true, displaylogo: false});
  });

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function outlines(map, countries) {
    L.geoJSON(countries, {
      interactive: false,
      style: {color: "#9a9a9a", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}
    }).addTo(map);
  }

  // Loads by year (results reports): width by tonnes, colour by utilisation.
  var flowsHolder = document.getElementById("flows-data");
  if (flowsHolder) {
    var flows = JSON.parse(flowsHolder.textContent);
    var fmap = L.map("flows-map", {zoomSnap: 0.25});
    fmap.attributionControl.setPrefix(false);
    fmap.attributionControl.addAttribution("Country outlines: Natural Earth · Leaflet");
    outlines(fmap, flows.countries);
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.innerHTML = flows.classes.map(function (c) {
        return "<i style='background:" + c.color + "'></i>" + esc(c.label);
      }).join("<br>");
      return div;
    };
    legend.addTo(fmap);
    var flowLayer = null;
    var drawFlows = function (year) {
      if (flowLayer) { flowLayer.remove(); }
      flowLayer = L.layerGroup().addTo(fmap);
      var y = flows.years[String(year)] || {links: [], points: []};
      var popup = function (r) {
        return "<b>" + esc(r.label) + "</b><br>" + (r.tonnes / 1e6).toFixed(1) + " Mt/year" +
          (r.capacity_t ? ", capacity " + (r.capacity_t / 1e6).toFixed(1) + " Mt/year, " +
           Math.round(100 * r.utilisation) + " % used" : ", no declared capacity") +
          "<br>" + r.directions.map(esc).join("<br>");
      };
      y.links.forEach(function (r) {
        L.polyline(r.coords, {color: r.color, weight: r.width, opacity: 0.85, className: "flow-link"})
          .bindPopup(popup(r)).addTo(flowLayer);
      });
      y.points.forEach(function (r) {
        var opts = {radius: r.kind === "border" ? 5 : 7, color: "#222", weight: 1,
                    fillColor: r.color, fillOpacity: 1, className: "flow-point"};
        L.circleMarker(r.coords, opts).bindPopup(popup(r)).addTo(flowLayer);
      });
      document.getElementById("flows-map").dataset.year = String(year);
      document.getElementById("flows-map").dataset.links = String(y.links.length);
    };
    var sel = document.getElementById("flows-year");
    sel.addEventListener("change", function () { drawFlows(sel.value); });
    drawFlows(flows.year);
    var fb = flows.bbox;
    fmap.fitBounds([[fb[1], fb[0]], [fb[3], fb[2]]]);
    window.instcFlowsMap = fmap;
  }

  var holder = document.getElementById("map-data");
  if (!holder) { return; }
  var data = JSON.parse(holder.textContent);
  var map = L.map("corridor-map", {zoomSnap: 0.25, worldCopyJump: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Country outlines: Natural Earth · Leaflet");
  outlines(map, data.countries);
  function linkPopup(feature, layer) {
    var p = feature.properties;
    var text = "<b>" + esc(p.id) + "</b> " + esc(p.from) + " – " + esc(p.to) +
      "<br>" + esc(p.mode) + ", " + Math.round(p.km).toLocaleString("en") + " km" +
      "<br>branch: " + esc(p.branch.join(", "));
    if (p.capacity_t) { text += "<br>capacity " + (p.capacity_t / 1e6).toFixed(1) + " Mt/year"; }
    if (p.state === "planned") { text += "<br>opens " + esc(p.opens) + (p.project ? " (" + esc(p.project) + ")" : ""); }
    layer.bindPopup(text);
  }
  function links(filter) {
    return {type: "FeatureCollection", features: data.links.features.filter(filter)};
  }

  var overlays = {};
  Object.keys(data.modes).forEach(function (mode) {
    var color = data.modes[mode];
    var fc = links(function (f) { return f.properties.mode === mode && f.properties.state === "open"; });
    if (!fc.features.length) { return; }
    var dash = mode.indexOf("sea") >= 0 || mode === "inland_water" ? "6 4" : null;
    overlays["<i style='background:" + color + "'></i>" + esc(mode)] =
      L.geoJSON(fc, {style: {color: color, weight: 3, opacity: 0.9, dashArray: dash},
                     onEachFeature: linkPopup}).addTo(map);
  });
  var planned = links(function (f) { return f.properties.state === "planned"; });
  if (planned.features.length) {
    overlays["<i style='background:#000'></i>opens after " + data.year] =
      L.geoJSON(planned, {style: {color: "#000", weight: 2, opacity: 0.8, dashArray: "2 5"},
                          onEachFeature: linkPopup}).addTo(map);
  }
  Object.keys(data.branches).forEach(function (b) {
    var info = data.branches[b];
    var fc = links(function (f) { return f.properties.branch.indexOf(b) >= 0; });
    if (!fc.features.length) { return; }
    overlays["<i style='background:" + info.color + "'></i>branch " + esc(b)] =
      L.geoJSON(fc, {style: {color: info.color, weight: 9, opacity: 0.45},
                     onEachFeature: linkPopup});
  });

  var nodes = L.geoJSON(data.nodes, {
    pointToLayer: function (f, latlng) {
      var p = f.properties;
      var r = p.kind === "port" ? 6 : (p.kind === "rail_hub" ? 5 : 4);
      return L.circleMarker(latlng, {radius: r, color: "#333", weight: 1,
        fillColor: p.open ? (p.kind === "port" ? "#2166ac" : "#ffffff") : "#cccccc", fillOpacity: 1});
    },
    onEachFeature: function (f, layer) {
      var p = f.properties;
      layer.bindTooltip(esc(p.name));
      layer.bindPopup("<b>" + esc(p.name) + "</b> (" + esc(p.id) + ")<br>" + esc(p.kind) + ", " +
        esc(p.country) + (p.gauge_change ? "<br>gauge change" : "") +
        (p.open ? "" : "<br>not in service in " + data.year));
    }
  }).addTo(map);
  overlays["nodes"] = nodes;
  overlays["<span class='map-swatch border'></span> border crossings"] =
    L.geoJSON(data.borders, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, {icon: L.divIcon({className: "map-icon", html: "<span class='border'></span>", iconSize: [12, 12]}),
                                 opacity: f.properties.open ? 1 : 0.4});
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup("<b>" + esc(f.properties.name) + "</b><br>link " + esc(f.properties.link) +
          ", dwell " + f.properties.hours + " h");
      }
    }).addTo(map);
  var gauges = {type: "FeatureCollection",
                features: data.nodes.features.filter(function (f) { return f.properties.gauge_change; })};
  overlays["<span class='map-swatch gauge'></span> gauge changes"] =
    L.geoJSON(gauges, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, {icon: L.divIcon({className: "map-icon", html: "<span class='gauge'></span>", iconSize: [12, 12]}),
                                 opacity: f.properties.open ? 1 : 0.4});
      },
      onEachFeature: function (f, layer) { layer.bindTooltip("gauge change: " + esc(f.properties.name)); }
    }).addTo(map);
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  L.control.scale({imperial: false}).addTo(map);
  var b = data.bbox;
  map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  window.instcMap = map;
})();
