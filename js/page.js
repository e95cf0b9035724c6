// The page bridge: `window.fastflow`, bundled with X6 into fastflow/static/fastflow.js (IIFE).
//
// `window.fastflow` is both the registry of the page's graphs (`window.fastflow['my-pipeline']`
// is that editor's X6 Graph) and the bridge API below; a graph id may not be an API name.
// Editors are `<div class="fastflow-editor" data-fastflow id=...>` holding their graph spec in a
// `<script type="application/json" class="fastflow-spec">` (what FlowEditor renders); they are
// mounted when the page loads and whenever one is added to the page later (e.g. by htmx).

import * as G from './graph.js'
import { watchChanges, showProblems } from './changes.js'
import * as R from './runs.js'
import { mountHistory } from './history.js'
import { installMenu } from './menu.js'
import NAMES from './bridge-names.json'

const ff = (window.fastflow = window.fastflow || {})
const RESERVED = new Set([...NAMES, '__proto__', 'constructor', 'prototype'])

/** The X6 graph registered under `id` (a Graph passes through). */
export function getGraph(id) {
  if (id && typeof id === 'object' && id.getCellById) return id
  const g = Object.prototype.hasOwnProperty.call(ff, id) ? ff[id] : null
  if (!g || !g.getCellById) throw new Error(`fastflow: no graph with id ${JSON.stringify(id)} on this page`)
  return g
}

function checkId(id) {
  if (RESERVED.has(id)) throw new Error(`fastflow: graph id ${JSON.stringify(id)} clashes with window.fastflow.${id}; choose another id`)
  const old = Object.prototype.hasOwnProperty.call(ff, id) ? ff[id] : null
  if (old?.container?.isConnected) throw new Error(`fastflow: two graphs with id ${JSON.stringify(id)} on this page`)
  old?.fastflowDispose?.() // its editor left the page (e.g. swapped out by htmx)
}

/** Build a graph in `container` from a graph spec and register it as window.fastflow[spec.id]. */
export function createGraph(container, spec = {}, opts) {
  const id = spec.id != null ? String(spec.id) : null
  if (id != null) checkId(id)
  const graph = G.createGraph(container, spec, opts)
  installMenu(graph, id, connectExecution)
  if (id != null) ff[id] = graph
  return graph
}

/** Mount one editor element rendered by FlowEditor (idempotent). */
export function mount(el) {
  if (el.fastflowGraph) return el.fastflowGraph
  try {
    const json = el.querySelector(':scope > script.fastflow-spec')?.textContent || '{}'
    const spec = JSON.parse(json)
    spec.id = spec.id ?? el.id
    el.fastflowGraph = createGraph(el, spec)
    if (spec.options?.onChange) watchChanges(el.fastflowGraph, el, spec.options.onChange, spec.options.changeDelay ?? 300)
    el.dispatchEvent(new CustomEvent('fastflow:ready', { bubbles: true, detail: { graph: el.fastflowGraph, id: spec.id } }))
    if (spec.id != null) reattach(String(spec.id))
    return el.fastflowGraph
  } catch (err) {
    const msg = document.createElement('div')
    msg.className = 'fastflow-error'
    msg.textContent = String(err.message || err)
    el.appendChild(msg)
    console.error(err)
    return null
  }
}

/** Mount every editor under `root` not mounted yet (and every runs list, see `history.js`). */
export function mountAll(root = document) {
  const els = [...root.querySelectorAll('.fastflow-editor[data-fastflow]')]
  if (root.matches?.('.fastflow-editor[data-fastflow]')) els.unshift(root)
  const graphs = els.map(mount)
  const lists = [...root.querySelectorAll('.fastflow-history[data-graph]')]
  if (root.matches?.('.fastflow-history[data-graph]')) lists.unshift(root)
  for (const box of lists) mountHistory(box, getGraph)
  return graphs
}

const withGraph = (f) => (id, ...args) => f(getGraph(id), ...args)

/** Like `withGraph`, for edits: a read-only graph refuses them. */
const editing = (f, name) => (id, ...args) => {
  const graph = getGraph(id)
  if (graph.fastflowOptions?.readOnly) throw new Error(`fastflow: graph ${JSON.stringify(graph.fastflowId)} is read-only: ${name} refused`)
  return f(graph, ...args)
}

/**
 * Run a flow: open an EventSource on `url` (an executor's SSE route) and show its events on the
 * graph. The source is closed on `complete` and on `error`, so a finished run is never started
 * again by the browser reconnecting. Returns `{close, source, runId}`.
 *
 * With a route served by fastflow's route helper (`executor.stream(req)`), whose streams start with a
 * `run` event, the run is resumable: a dropped connection is left to the browser's own reconnect
 * (which names the last event seen, so the server resumes the same run), and the run id is kept in
 * sessionStorage so that a reload of the page reattaches to the run (see `reattach`). Every event is
 * also dispatched on the editor element as a `fastflow:event` DOM event (`detail: {kind, data}`),
 * which is how a page hears a run it reattached to after a reload.
 */
export function connectExecution(graphId, url, { onEvent, onComplete, onError, reset = true, resumeFrom = null } = {}) {
  const graph = getGraph(graphId)
  graph.fastflowRun?.close()
  if (reset) G.resetAllStatus(graph)
  const source = new EventSource(resumeFrom ? R.withLastEventId(url, resumeFrom) : url)
  let done = false, resumable = false, seen = 0
  const run = { source, close: () => finish(true), runId: null, get done() { return done } }
  graph.fastflowRun = run
  function finish(forget) {
    if (done) return
    done = true
    source.close()
    G.settleEdges(graph) // flushes what is queued; every edge stops moving: green where data passed, grey where not
    if (forget) R.forget(graphId)
    if (graph.fastflowRun === run) graph.fastflowRun = null
  }
  const tell = (kind, data) => {
    onEvent?.(kind, data)
    graph.container?.dispatchEvent(new CustomEvent('fastflow:event', { bubbles: true, detail: { kind, data, graphId, runId: run.runId } }))
  }
  const ours = (d) => d.graphId == null || graph.fastflowId == null || String(d.graphId) === String(graph.fastflowId)
  const parse = (e) => { try { return JSON.parse(e.data) } catch { return { message: String(e.data) } } }
  source.addEventListener('run', (e) => {
    const data = parse(e)
    if (done || !ours(data) || typeof data.runId !== 'string') return
    resumable = data.resume === true
    run.runId = data.runId
    if (resumable) R.remember(graphId, url, data.runId)
  })
  for (const kind of ['nodeStatus', 'edgeStatus', 'progress']) {
    source.addEventListener(kind, (e) => {
      if (done) return
      seen++
      const data = parse(e)
      if (!ours(data)) return
      if (kind !== 'progress') G.queueStatus(graph, kind, data)
      tell(kind, data)
    })
  }
  source.addEventListener('complete', (e) => {
    if (done) return
    const data = parse(e)
    if (!ours(data)) return
    for (const [id, result] of Object.entries(data.results || {})) G.addRunInfo(graph, id, { result })
    G.addRunInputs(graph, data.results, data.inputs)
    finish(true)
    tell('complete', data)
    onComplete?.(data)
  })
  source.addEventListener('error', (e) => {
    if (done) return
    // a resumable run whose connection dropped: the browser reconnects by itself, naming the last event seen
    if (!e.data && resumable && source.readyState === EventSource.CONNECTING) return
    // a reattach the server answered with 204 (the run ended, or is unknown here): nothing to show
    if (!e.data && resumeFrom && !seen) return finish(true)
    // a named `error` event from the server carries data; a dropped connection does not
    if (!e.data && leaving) return finish(false) // the page is going away (a reload): keep the run to reattach to
    const data = e.data ? parse(e) : { message: `connection to ${url} lost` }
    if (e.data && !ours(data)) return
    if (!e.data) G.flushStatus(graph), markLost(graph)
    // the server's details: results of the nodes that finished, a traceback per failed node if it sends them
    const det = data.details && typeof data.details === 'object' ? data.details : {}
    for (const [id, result] of Object.entries(det.results || {})) G.addRunInfo(graph, id, { result })
    for (const [id, tb] of Object.entries(det.tracebacks || {})) G.addRunInfo(graph, id, { traceback: tb })
    G.addRunInputs(graph, det.results, det.inputs)
    // each failed node's own error; the event's message is the flow's ("2 nodes failed: a, b"), a node's
    // only where the server sent none of its own
    const errors = det.errors && typeof det.errors === 'object' ? det.errors : {}
    for (const [id, message] of Object.entries(errors)) G.addRunInfo(graph, id, { message })
    if (data.nodeId != null)
      G.addRunInfo(graph, data.nodeId, { ...(Object.hasOwn(errors, data.nodeId) ? {} : { message: data.message }), ...(det.traceback != null ? { traceback: det.traceback } : {}) })
    finish(!!e.data)
    tell('error', data)
    onError?.(data)
  })
  return run
}

let leaving = false
addEventListener('pagehide', () => { leaving = true })
addEventListener('pageshow', () => { leaving = false })

// A stream that ended without its final event leaves no node drawn `running`: the run is gone for this page.
function markLost(graph) {
  for (const node of graph.getNodes()) {
    if (node.getData()?.status === 'running') G.setNodeStatus(graph, node.id, 'cancelled', { message: 'connection lost' })
  }
}

/**
 * After a reload: if this page was watching a resumable run of `graphId`, reconnect to it from its
 * first event (the server sends the run's events so far, then the live ones; no run starts). Called
 * by `mount` for every editor; returns the run (as `connectExecution` does) or null.
 */
function reattach(graphId) {
  const saved = R.recall(graphId)
  if (!saved) return null
  return connectExecution(graphId, saved.url, { resumeFrom: `${saved.runId}:0` })
}

/** POST the graph as JSON (exportFlow) to `url`; returns the fetch promise. */
export function postFlow(graphId, url, init = {}) {
  const body = JSON.stringify(G.exportFlow(getGraph(graphId)))
  return fetch(url, { method: 'POST', ...init, headers: { 'Content-Type': 'application/json', ...(init.headers || {}) }, body })
}

const api = {
  addEdge: editing(G.addEdge, 'addEdge'),
  addNode: editing(G.addNode, 'addNode'),
  canConnect: (id, args) => G.canConnect(getGraph(id), args),
  connectExecution,
  createGraph,
  escapeHtml: G.escapeHtml,
  exportFlow: withGraph(G.exportFlow),
  fit: withGraph(G.fit),
  flushStatus: withGraph(G.flushStatus),
  getGraph,
  hideDetails: withGraph(G.hideDetails),
  importFlow: withGraph((graph, flow, opts) => G.importFlow(graph, flow, { undoable: true, ...opts })),
  mount,
  mountAll,
  nodeHtml: G.nodeHtml,
  postFlow,
  registerLook: G.registerLook,
  renameNode: editing(G.renameNode, 'renameNode'),
  resetAllStatus: withGraph(G.resetAllStatus),
  setEdgeStatus: withGraph(G.setEdgeStatus),
  setNodeStatus: withGraph(G.setNodeStatus),
  settleEdges: withGraph(G.settleEdges),
  showDetails: withGraph(G.showDetails),
  showProblems: withGraph(showProblems),
  STATUSES: G.STATUSES,
  tidyUp: withGraph(G.tidyUp),
  TYPE_LOOKS: G.TYPE_LOOKS,
  version: FASTFLOW_VERSION,
}
for (const k of Object.keys(api)) if (!NAMES.includes(k)) console.error(`fastflow: ${k} missing from bridge-names.json`)
Object.assign(ff, api)

function start() {
  mountAll()
  new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.target.closest?.('.fastflow-host')) continue
      for (const n of m.addedNodes) if (n.nodeType === 1) mountAll(n)
    }
  }).observe(document.documentElement, { childList: true, subtree: true })
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true })
else start()
