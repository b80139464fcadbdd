/**
 * The status page at `/`: plain HTML and a little script, no build step. It
 * loads /v1/members, then follows /v1/events: a ping updates its row in
 * place, any other event reloads the members (at most a few times a second),
 * and pings reload them at most every 2 s for the round trips, which change
 * without an event; so a mesh of 50 stays cheap to watch. Everything shown is set as text, never
 * as HTML: tags and addresses come from peers.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>p2p-gossip</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
  h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
  .self { color: #555; margin-bottom: 1rem; word-break: break-all; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
  th { background: #f6f6f6; position: sticky; top: 0; }
  td.tags { white-space: normal; }
  code { font: 13px ui-monospace, monospace; }
  .state { font-weight: 600; }
  .connected { color: #17803d; } .disconnected { color: #b26b00; } .dead { color: #c0262d; } .left { color: #777; }
  #summary { margin: .5rem 0; }
  #stream.down { color: #c0262d; }
</style>
</head>
<body>
<h1>p2p-gossip node</h1>
<div class="self">id <code id="self-id">…</code> at <code id="self-address">…</code> <span id="self-tags"></span></div>
<div id="summary">loading…</div>
<table>
  <thead><tr><th>id</th><th>address</th><th>state</th><th>round trip</th><th>tags</th><th>last ping</th></tr></thead>
  <tbody id="members"></tbody>
</table>
<p id="stream">live updates: connecting…</p>
<script>
"use strict";
const lastPing = new Map();
let refreshTimer;
let roundTripTimer;
function tagText(tags) {
  return Object.entries(tags || {}).map(([k, v]) => k + "=" + v).join(" ");
}
function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}
function render(view) {
  document.getElementById("self-id").textContent = view.self.id;
  document.getElementById("self-address").textContent = view.self.address;
  document.getElementById("self-tags").textContent = tagText(view.self.tags);
  const members = [...view.members].sort((a, b) => a.id.localeCompare(b.id));
  const counts = {};
  const body = document.getElementById("members");
  const rows = [];
  for (const m of members) {
    counts[m.state] = (counts[m.state] || 0) + 1;
    const row = document.createElement("tr");
    row.dataset.id = m.id;
    const id = cell(row, m.id.slice(0, 12));
    id.title = m.id;
    id.className = "id";
    cell(row, m.address, "address");
    cell(row, m.state, "state " + m.state);
    cell(row, m.rttMs === null ? "–" : m.rttMs.toFixed(1) + " ms", "rtt");
    cell(row, tagText(m.tags), "tags");
    cell(row, lastPing.get(m.id) || "–", "ping");
    rows.push(row);
  }
  body.replaceChildren(...rows);
  const summary = Object.entries(counts).map(([s, n]) => n + " " + s).join(", ");
  document.getElementById("summary").textContent = members.length + " members" + (summary ? ": " + summary : "");
}
async function refresh() {
  refreshTimer = undefined;
  const response = await fetch("/v1/members", { cache: "no-store" });
  if (response.ok) render(await response.json());
}
function refreshSoon() {
  if (refreshTimer === undefined) refreshTimer = setTimeout(() => void refresh(), 200);
}
const events = new EventSource("/v1/events");
events.onopen = () => {
  document.getElementById("stream").textContent = "live updates: on";
  document.getElementById("stream").className = "";
  refreshSoon();
};
events.onerror = () => {
  document.getElementById("stream").textContent = "live updates: reconnecting…";
  document.getElementById("stream").className = "down";
};
events.onmessage = (message) => {
  const event = JSON.parse(message.data);
  if (event.event === "ping_received") {
    const text = event.ts.slice(11, 19) + " " + event.message;
    lastPing.set(event.peer, text);
    const row = document.querySelector('tr[data-id="' + event.peer + '"]');
    if (row) row.querySelector(".ping").textContent = text;
    // Round trips change without an event of their own: reload them now and then while pings flow.
    if (roundTripTimer === undefined) roundTripTimer = setTimeout(() => { roundTripTimer = undefined; refreshSoon(); }, 2000);
    return;
  }
  if (event.event !== "ping_sent") refreshSoon();
};
void refresh();
</script>
</body>
</html>
`;
