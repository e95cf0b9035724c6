// The details panel: click a node to read all that the last run said about it (its full message,
// elapsed time, inputs, result and an error's traceback), in a panel over the right of the canvas.
// Shared by the page bridge and the widget (both build their editor with graph.js).
//
// What a run said is kept per graph in `graph.fastflowRunInfo` (node id -> info): status events
// bring `message`, `elapsed` (and `inputs`, `result`, `traceback` when a server sends them); the
// `complete` event's `results` and the `error` event's `details` are added by `connectExecution`. The widget
// adds `inputsText` and `resultText` (values Python has already written out as text, capped) and `traceback`.

import { STATUS_LOOK, escapeHtml, lookOf } from './node.js'

export const JSON_CAP = 20000 // characters of JSON shown per value (the rest is counted, not shown)
const KEEP = ['message', 'elapsed', 'inputs', 'result', 'traceback', 'details']
const CLEARED = new Set(['message', 'elapsed', 'inputs', 'result', 'traceback', 'details', 'inputsText', 'resultText'])

/** Remember what a status event said about node `id` (each run starts empty: see resetAllStatus). */
export function runInfo(graph, id, status, info = {}) {
  const all = (graph.fastflowRunInfo ||= new Map())
  const old = all.get(id)
  // a node that starts (again) forgets what its last run said; the event's own info wins
  const fresh = status === 'running' || status === 'pending'
  const next = {}
  if (old) for (const k in old) if (!(fresh && CLEARED.has(k))) next[k] = old[k]
  next.status = status
  if (info) for (const k of KEEP) if (info[k] != null) next[k] = info[k]
  all.set(id, next)
  if (graph.fastflowDetailsFor === id) refresh(graph)
  return next
}

/** Add more about node `id` (e.g. `{result}` from a `complete` event) without a status change. */
export function addRunInfo(graph, id, info) {
  const all = (graph.fastflowRunInfo ||= new Map())
  all.set(String(id), { ...(all.get(String(id)) || {}), ...info })
  if (graph.fastflowDetailsFor === String(id)) refresh(graph)
}

/** A run ended (its `results`): each node that ran gets its inputs, what its handler was given (before any
 * `before_node` hook): `sent[id]` where the server sent them (a node on a branch), else its parents' results. */
export function addRunInputs(graph, results = {}, sent = {}) {
  const all = graph.fastflowRunInfo
  if (!all || !results || typeof results !== 'object') return
  for (const [id, info] of all) {
    if (info.status !== 'success' && info.status !== 'error') continue
    let inputs = sent && typeof sent === 'object' && Object.hasOwn(sent, id) ? sent[id] : null
    if (inputs == null) {
      const node = graph.getCellById(id)
      if (!node) continue
      inputs = {}
      for (const e of graph.getIncomingEdges(node) || []) { const p = e.getSourceCellId(); if (Object.hasOwn(results, p)) inputs[p] = results[p] }
    }
    all.set(id, { ...info, inputs })
  }
  if (graph.fastflowDetailsFor != null) refresh(graph)
}

/** `value` as indented JSON, cut at `cap` characters with a note of how much is left out. */
export function cappedJson(value, cap = JSON_CAP) {
  let text
  try { text = JSON.stringify(value, null, 2) } catch { text = String(value) }
  if (text === undefined) text = String(value)
  return text.length > cap ? `${text.slice(0, cap)}\n… ${(text.length - cap).toLocaleString()} more characters` : text
}

const section = (title, body, open = true) =>
  `<details class="ff-details-section"${open ? ' open' : ''}><summary>${escapeHtml(title)}</summary>${body}</details>`
const pre = (text, cls = '') => `<pre class="ff-details-pre ${cls}">${escapeHtml(text)}</pre>`

/** The panel's HTML for node `node` and its run info. */
export function detailsHtml(node, info = {}) {
  const d = node.getData() || {}
  const status = info.status || d.status || 'pending'
  const color = (STATUS_LOOK[status] || STATUS_LOOK.pending).color
  const look = lookOf(d.nodeType)
  const parts = [
    `<div class="ff-details-head"><span class="ff-details-icon">${escapeHtml(d.icon || look.icon)}</span>` +
      `<div class="ff-details-title"><div class="ff-details-label">${escapeHtml(d.label ?? node.id)}</div>` +
      `<div class="ff-details-meta">${escapeHtml(node.id)} · ${escapeHtml(d.nodeType || 'default')}</div></div>` +
      `<button type="button" class="ff-details-close" title="Close (Esc)" aria-label="Close details">×</button></div>`,
    `<div class="ff-details-status"><span class="ff-details-dot" style="background:${color}"></span>${escapeHtml(status)}` +
      (typeof info.elapsed === 'number' ? ` · ${info.elapsed.toFixed(3)} s` : '') + `</div>`,
  ]
  if (info.message) parts.push(section('Message', pre(info.message, 'ff-details-message')))
  const tb = info.traceback ?? info.details
  if (tb != null) parts.push(section(info.traceback != null ? 'Traceback' : 'Error details', pre(typeof tb === 'string' ? tb : cappedJson(tb), 'ff-details-traceback')))
  if (info.inputsText != null || info.inputs !== undefined) parts.push(section('Inputs', pre(info.inputsText ?? cappedJson(info.inputs)), false))
  if (info.resultText != null || info.result !== undefined) parts.push(section('Result', pre(info.resultText ?? cappedJson(info.result))))
  if (parts.length === 2) parts.push(`<div class="ff-details-empty">${status === 'pending' ? 'Not run yet.' : 'Nothing more was sent about this node.'}</div>`)
  return parts.join('')
}

function refresh(graph) {
  const panel = graph.fastflowDetails
  const id = graph.fastflowDetailsFor
  const node = id != null ? graph.getCellById(id) : null
  if (!panel || !node) return hideDetails(graph)
  panel.innerHTML = detailsHtml(node, graph.fastflowRunInfo?.get(id) || {})
  panel.hidden = false
}

/** Open the details panel on node `id`, on the side of the canvas away from the node (it never covers it). */
export function showDetails(graph, id) {
  const node = graph.getCellById(String(id))
  if (!graph.fastflowDetails || !node?.isNode()) return false
  graph.fastflowDetailsFor = String(id)
  const r = graph.localToGraph(node.getBBox())
  graph.fastflowDetails.classList.toggle('ff-details-left', r.x + r.width / 2 > graph.container.clientWidth * 0.4)
  refresh(graph)
  return true
}

/** Close the details panel. */
export function hideDetails(graph) {
  graph.fastflowDetailsFor = null
  if (graph.fastflowDetails) graph.fastflowDetails.hidden = true
}

/** Give `graph` a details panel in `host`: a node click opens it; ×, Escape or a blank click closes it,
 * and so does a Ctrl-, Cmd- or Shift-click (it picks nodes for a selection: the panel would cover them). */
export function addDetails(graph, host) {
  const panel = host.ownerDocument.createElement('div')
  panel.className = 'ff-details'
  panel.hidden = true
  panel.setAttribute('role', 'dialog')
  panel.setAttribute('aria-label', 'Node details')
  host.appendChild(panel)
  graph.fastflowDetails = panel
  graph.on('node:click', ({ node, e }) => (e?.ctrlKey || e?.metaKey || e?.shiftKey ? hideDetails(graph) : showDetails(graph, node.id)))
  graph.on('blank:click', () => hideDetails(graph))
  graph.on('node:removed', ({ node }) => { if (node.id === graph.fastflowDetailsFor) hideDetails(graph) })
  graph.on('node:change:data', ({ node }) => { if (node.id === graph.fastflowDetailsFor) refresh(graph) }) // (renamed, or that undone)
  panel.addEventListener('click', (e) => { if (e.target.closest('.ff-details-close')) hideDetails(graph) })
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') hideDetails(graph) })
  graph.container.addEventListener('keydown', (e) => { if (e.key === 'Escape') hideDetails(graph) })
  return panel
}
