// fastflow's Jupyter widget: the anywidget ESM module behind `fastflow.widget.FlowWidget`,
// bundled by build.mjs into fastflow/static/widget.js. It draws with the very same code as the page
// bridge (graph.js / node.js); this file only wires that editor to the widget's model.
//
// Model (synced traits, set by Python):
//   graph        the graph spec (graph.js format); the view sends edits back by setting it
//   _snapshot    the run state as UTF-8 JSON bytes (a DataView here), set when a run ends: it is how views hear the end (and what views rendered
//                later and saved notebooks start from):
//                {packed, notes (the nodes, as in a status message), edges: {"src->tgt": {source, target, status, animated}},
//                 progress: {completed, total, percent}, message, running}
//   history      the runs the widget followed, newest first: [{id, started, status, elapsed, message}]
//   height (CSS); selection: node ids selected in the view (set by the view)
// Messages, Python -> view:  {type: 'status', reset?, to?, packed?, notes?, edges?, progress?, message?, running?}
//   (a batch comes as {type: 'json'} with the message as UTF-8 JSON in its one binary buffer: see `received`)
//   (`packed`: the nodes as [ids, statuses, elapsed in integer µs or null], `notes`: {nodeId: message}; see `nodesOf`)
//   a batch of changes since the last one (`reset` in the first one of a run, `running` when a run started
//   or ended), or (`reset` + `to`) a snapshot answering one view's `ready`. A run streams small batches;
//   its end is the whole state, sent once, in the snapshot trait (a batch only if the trait would not change).
//   {type: 'run', to, run: {id, status, elapsed, message, nodes, edges, spans} | error}: a kept run a view chose.
// Messages, view -> Python:  {type: 'ready', view} (send me a snapshot), {type: 'click', id},
//   {type: 'show', view, run} (send me that run), {type: 'rerun', node, run?} ("Run from here": rerun `node` and
//   what follows it, reusing the results of `run`, the run the view shows, else the last one),
//   {type: 'details', view, id, run} (what Python has of node `id`: answered {type: 'details', to, id, run, info: {inputsText, resultText, traceback}}).
//
// For tests and tools, a view's root element (`.ffw-root`) holds its X6 graph as `fastflowGraph` (as the page's
// editor element does) and counters as `ffStats`: a big graph draws only the nodes in view, so read states from
// the model, e.g. `root.fastflowGraph.getCellById(id).getData().status`.

import { createGraph, importFlow, exportFlow, queueStatus, resetAllStatus, injectStyles } from './graph.js'
import { addRunInfo, runInfo } from './details.js'
import { timeline, injectCss as historyCss } from './history.js'
import { STATUS_LOOK } from './node.js'
import { nodeMenu } from './node-menu.js'
import CSS from './fastflow.css'

// The run state this browser has seen, per widget model: views rendered later start from it.
const known = new Map()

// Some hosts (marimo) render widgets in a shadow root, which the page's stylesheets don't reach:
// give it fastflow's CSS, the CSS X6 put in the page's <head> and the runs list's (history.js).
function styleShadowRoot(el) {
  const root = el.getRootNode()
  if (typeof ShadowRoot === 'undefined' || !(root instanceof ShadowRoot) || root.querySelector('style[data-fastflow]')) return
  const x6 = [...el.ownerDocument.head.querySelectorAll('style')].filter((s) => s.id === 'fastflow-history-css' || s.textContent.includes('.x6-')).map((s) => s.textContent)
  const style = Object.assign(el.ownerDocument.createElement('style'), { textContent: [CSS, ...x6].join('\n') })
  style.dataset.fastflow = ''
  root.appendChild(style)
}

// One listener per event name: not every host's model takes Backbone's 'a b' lists. Hosts may also
// apply a multi-trait update one trait at a time, so any of a run's traits changing repaints.
const listen = (model, names, f) => names.forEach((n) => model.on(n, f))
const unlisten = (model, names, f) => names.forEach((n) => model.off(n, f))
const RUN_TRAITS = ['change:_snapshot']

// A message's nodes, {nodeId: {status, elapsed?, message?}}: Python sends them packed (fastflow.widget._wire),
// which its JSON encoder does several times faster than a thousand small objects with a float each.
function nodesOf(msg) {
  if (!msg.packed) return msg.nodes || {}
  const [ids, statuses, us] = msg.packed, notes = msg.notes || {}, out = {}
  for (let i = 0; i < ids.length; i++) {
    const s = (out[ids[i]] = { status: statuses[i] })
    if (us[i] != null) s.elapsed = us[i] / 1e6
    if (ids[i] in notes) s.message = notes[ids[i]]
  }
  return out
}

// Status batches come as UTF-8 JSON in a binary buffer (`{type: 'json'}` and one buffer, see fastflow.widget._send_json):
// parsed once per message, for the model's listener (`initialize`) and each view's.
const parsed = new WeakMap()
function received(msg, buffers) {
  const b = msg?.type === 'json' && buffers?.[0]
  if (!b) return msg
  let m = parsed.get(b)
  if (!m) parsed.set(b, (m = JSON.parse(new TextDecoder().decode(b))))
  return m
}

// Unpacked once per message, for the model's listener (`initialize`) and each view's.
const unpacked = new WeakMap()
function nodesIn(msg) {
  let n = unpacked.get(msg)
  if (!n) unpacked.set(msg, (n = nodesOf(msg)))
  return n
}

// The snapshot trait is UTF-8 JSON bytes, which arrive as a DataView (a string from older kernels' state).
function snapshotText(v) {
  if (!v) return ''
  return typeof v === 'string' ? v : new TextDecoder().decode(v)
}

function stateOf(model) {
  let s = {}
  try { s = JSON.parse(snapshotText(model.get('_snapshot')) || '{}') || {} } catch { s = {} }
  return { nodes: nodesOf(s), edges: s.edges || {}, progress: s.progress || null, message: s.message || '', running: !!s.running }
}

function merge(state, msg, nodes) {
  if (msg.reset) Object.assign(state, { nodes: {}, edges: {}, message: '', progress: null }) // (a new run: not the last one's message)
  Object.assign(state.nodes, nodes)
  Object.assign(state.edges, msg.edges || {})
  for (const k of ['progress', 'message', 'running']) if (k in msg) state[k] = msg[k]
}

function initialize({ model }) {
  const uid = model.get('_uid')
  known.set(uid, stateOf(model))
  const onMsg = (raw, buffers) => {
    const msg = received(raw, buffers)
    if (msg?.type === 'status') merge(known.get(uid), msg, nodesIn(msg))
  }
  const onTraits = () => known.set(uid, stateOf(model))
  model.on('msg:custom', onMsg)
  listen(model, RUN_TRAITS, onTraits)
  return () => {
    model.off('msg:custom', onMsg)
    unlisten(model, RUN_TRAITS, onTraits)
    known.delete(uid)
  }
}

// ------------------------------------------------------------------ the run bar

const h = (doc, tag, style, cls) => Object.assign(doc.createElement(tag), { className: cls, style })

// The bar's look is fastflow.css's (.ffw-run ...: light / dark, narrow widths), in the document as soon as the bar is,
// even before the editor (which adds it too) is built.
function runBar(doc) {
  injectStyles(doc)
  const bar = h(doc, 'div', '', 'ffw-run')
  const track = h(doc, 'div', '', 'ffw-progress')
  track.setAttribute('role', 'progressbar')
  track.setAttribute('aria-valuemin', '0')
  track.setAttribute('aria-valuemax', '100')
  const fill = h(doc, 'div', '', 'ffw-fill')
  const count = h(doc, 'span', '', 'ffw-count')
  const msg = h(doc, 'span', '', 'ffw-message')
  track.appendChild(fill)
  bar.append(track, count, msg)
  return {
    el: bar,
    show({ progress, message, running }) {
      const pct = progress?.percent ?? 0
      const text = message || (running ? 'running…' : '')
      bar.dataset.state = /fail|error|cancel/i.test(message) ? 'failed' : running ? 'running' : progress ? 'done' : 'idle'
      fill.style.width = `${pct}%`
      track.setAttribute('aria-valuenow', String(pct))
      count.textContent = progress?.total != null ? `${progress.completed}/${progress.total} · ${pct}%` : ''
      msg.textContent = text
      msg.title = text
    },
  }
}

// ------------------------------------------------------------------ the runs list and a run's timeline

// The runs the widget followed, as the page's runs list draws them (same classes, so the same CSS from
// history.js), and the chosen run's message and timeline (history.js's Gantt chart).
const color = (status) => STATUS_LOOK[status]?.color || (status === 'interrupted' ? '#faad14' : '#d9d9d9')
const when = (t) => new Date(t * 1000).toLocaleTimeString()
const took = (s) => (typeof s === 'number' ? `${s.toFixed(2)}s` : '…')

function runsPanel(doc, choose) {
  // its layout and colours are fastflow.css's (.ffw-history: light / dark; the timeline below the list when narrow)
  const box = h(doc, 'div', 'display:none', 'fastflow-history ffw-history')
  const side = h(doc, 'div', '', 'ffw-side')
  const head = h(doc, 'div', '', 'ffh-head')
  head.textContent = 'Runs'
  const list = doc.createElement('ol')
  const detail = h(doc, 'div', '', 'ffh-detail')
  side.append(head, list)
  box.append(side, detail)
  let chosen = null
  const mark = () => { for (const b of list.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.run === chosen)) }
  return {
    el: box,
    get chosen() { return chosen },
    list(runs) {
      box.style.display = runs.length ? '' : 'none'
      list.replaceChildren(...runs.map((run) => {
        const b = h(doc, 'button')
        b.type = 'button'
        b.title = `${run.status}, run ${run.id}${run.message ? `: ${run.message}` : ''}`
        b.dataset.run = run.id
        const dot = h(doc, 'span', `background:${color(run.status)}`, 'ffh-dot')
        const parts = [[when(run.started), 'ffh-when'], [run.status, 'ffh-status'], [took(run.elapsed), 'ffh-took']]
        b.append(dot, ...parts.map(([text, cls]) => Object.assign(h(doc, 'span', '', cls), { textContent: text })))
        b.addEventListener('click', () => { chosen = run.id; mark(); choose(run.id) })
        const li = doc.createElement('li')
        li.append(b)
        return li
      }))
      if (chosen && !runs.some((r) => r.id === chosen)) chosen = null
      mark()
    },
    show(run, error) {
      // in the status's colour, mixed with the text's: readable on a light or a dark notebook
      const msg = h(doc, 'div', `color:color-mix(in srgb, ${error ? '#ff4d4f' : color(run.status)} 50%, var(--ff-text))`, 'ffh-message')
      msg.textContent = error || run.message || run.status
      detail.replaceChildren(msg, ...(run ? [timeline(doc, run)].filter(Boolean) : []))
    },
    unchoose() { chosen = null; mark() },
  }
}

// ------------------------------------------------------------------ the view

const nodeKey = (s) => `${s.status}|${s.elapsed ?? ''}|${s.message ?? ''}`
const edgeKey = (s) => `${s.status}|${!!s.animated}`
const PENDING = { status: 'pending' }

// An edge's status follows from its source node's (the executor's rule, as fastflow.widget.RunView.edge_status
// says it in Python): data flows (animated) from a node that succeeded (or was cached) while the run goes; once the run is
// over, an edge is `success` where data passed, else the status of its source, which says why not.
// An explicit edge status in the state (a FlowEvent given to `update`) wins.
const FINAL = new Set(['success', 'error', 'skipped', 'cancelled', 'cached'])
function edgeOf(state, source, target) {
  const own = state.edges[`${source}->${target}`]
  if (own) return own
  const s = state.nodes[source]?.status
  if (s === 'success' || s === 'cached') return { source, target, status: 'success', animated: !!state.running }
  if (!state.running && FINAL.has(s)) return { source, target, status: s, animated: false }
  return { source, target, status: 'pending', animated: false }
}

function render({ model, el }) {
  const doc = el.ownerDocument
  const uid = model.get('_uid')
  const view = Math.random().toString(36).slice(2)
  const root = h(doc, 'div', 'display:flex;flex-direction:column;width:100%;', 'ffw-root')
  const host = h(doc, 'div', `position:relative;width:100%;height:${model.get('height')};`, 'ffw-graph')
  const bar = runBar(doc)
  const runs = runsPanel(doc, (id) => model.send({ type: 'show', view, run: id }))
  historyCss(doc)
  root.append(bar.el, host, runs.el)
  el.appendChild(root)
  const stats = (root.ffStats = { updates: 0, batches: 0, first: 0, last: 0 })

  // The editor is built once the view is in the page and has a size (X6 measures its container).
  let graph = null
  const drawn = { nodes: new Map(), edges: new Map() }

  const drawNode = (id, s) => {
    const k = nodeKey(s)
    if (drawn.nodes.get(id) === k) return
    drawn.nodes.set(id, k)
    queueStatus(graph, 'nodeStatus', { nodeId: id, ...s })
  }
  const drawEdge = (s) => {
    const k = edgeKey(s)
    if (drawn.edges.get(`${s.source}->${s.target}`) === k) return
    drawn.edges.set(`${s.source}->${s.target}`, k)
    queueStatus(graph, 'edgeStatus', { sourceId: s.source, targetId: s.target, status: s.status, animated: s.animated })
  }
  // Make the whole view show `state`: only what differs from what is drawn is redrawn.
  const paint = (state) => {
    // what the details panel says of each node is this state's too (a run chosen in the list: that run's, not a mix)
    graph.fastflowRunInfo?.clear()
    for (const node of graph.getNodes()) {
      const s = state.nodes[node.id] || PENDING
      runInfo(graph, node.id, s.status, s)
      drawNode(node.id, s)
    }
    for (const edge of graph.getEdges()) drawEdge(edgeOf(state, edge.getSourceCellId(), edge.getTargetCellId()))
    bar.show(state)
  }
  const current = () => known.get(uid) || stateOf(model)

  // A run chosen in the list: its final state replaces what the view shows, until the next run starts.
  const showRun = (msg) => {
    if (msg.to !== view || !graph) return
    if (msg.error) return runs.show(null, msg.error)
    const run = msg.run
    paint({ nodes: run.nodes || {}, edges: run.edges || {}, running: false, progress: null, message: run.message })
    runs.show(run)
    askDetails()
  }
  const onMsg = (raw, buffers) => {
    const msg = received(raw, buffers)
    if (msg?.type === 'run') return showRun(msg)
    if (msg?.type === 'details') return msg.to === view && graph && msg.run === (runs.chosen ?? null) && addRunInfo(graph, msg.id, msg.info)
    if (msg?.type !== 'status') return
    if (!graph) return bar.show(current())
    if (msg.to) return msg.to === view && paint(current())
    if (msg.reset) {
      runs.unchoose()
      resetAllStatus(graph)
      drawn.nodes.clear()
      drawn.edges.clear()
    }
    const nodes = Object.entries(nodesIn(msg))
    const state = current()
    for (const [id, s] of nodes) {
      drawNode(id, s)
      const cell = graph.getCellById(id)
      for (const edge of (cell && graph.getOutgoingEdges(cell)) || []) drawEdge(edgeOf(state, id, edge.getTargetCellId()))
    }
    for (const s of Object.values(msg.edges || {})) drawEdge(s)
    if ('running' in msg) { paint(state); askDetails() } // a run started or ended: every edge follows (only what differs is redrawn)
    else bar.show(state)
    const now = performance.now()
    stats.first ||= now
    stats.last = now
    stats.updates += nodes.length
    stats.batches += 1
  }
  // The details panel (details.js) shows what status events said; a node's inputs, result and traceback are Python's: asked for
  // when the panel opens on a node, and again when a run starts or ends (of the run the view shows)
  const askDetails = () => { const id = graph?.fastflowDetailsFor; if (id != null) model.send({ type: 'details', view, id, run: runs.chosen ?? null }) }
  const onTraits = () => { if (!graph) return bar.show(current()); paint(current()); askDetails() }

  // Edits in the view go back to Python as a new `graph` (debounced; status changes are not edits).
  let importing = false, sent = null, timer = 0
  const sendGraph = () => {
    timer = 0
    const flow = exportFlow(graph)
    const edges = flow.edges.filter((e) => e.source && e.target)
    const next = { ...(model.get('graph') || {}), nodes: flow.nodes, edges }
    sent = JSON.stringify(next)
    model.set('graph', next)
    model.save_changes()
  }
  const edited = () => { if (!importing && !timer) timer = setTimeout(sendGraph, 150) }

  // A new graph from Python or from another view replaces what this view shows. The replaced cells
  // are not this view's edits, so they leave its undo history (which starts anew).
  const onGraph = () => {
    if (!graph) return
    const spec = model.get('graph') || {}
    if (JSON.stringify(spec) === sent) return // our own edit coming back
    const history = graph.getPlugin('history')
    importing = true
    history?.disable()
    try {
      graph.cleanSelection?.()
      importFlow(graph, spec)
    } finally {
      history?.enable()
      history?.clean()
      importing = false
    }
    drawn.nodes.clear()
    drawn.edges.clear()
    paint(current())
  }
  const onHeight = () => { host.style.height = model.get('height') }
  const onHistory = () => runs.list(model.get('history') || [])

  // Right-click a node: "Run from here". The notebook's own context menu stays away (JupyterLab skips
  // elements marked data-jp-suppress-context-menu; other hosts get no bubbling contextmenu).
  root.dataset.jpSuppressContextMenu = ''
  const ownMenu = (e) => { if (host.contains(e.target)) { e.preventDefault(); e.stopPropagation() } }
  root.addEventListener('contextmenu', ownMenu)
  let closeMenu = null
  const openMenu = ({ e, node }) => {
    e.preventDefault?.()
    closeMenu?.()
    const kept = model.get('history') || []
    const from = runs.chosen || kept[0]?.id
    closeMenu = nodeMenu(doc, e.clientX, e.clientY, [{
      label: 'Run from here', action: 'run-from-here', disabled: !from,
      title: from ? `Rerun ${node.id} and what follows it, reusing the results of run ${from}` : 'No earlier run to reuse yet: run the flow once',
      run: () => model.send({ type: 'rerun', node: node.id, run: from }),
    }], { cls: 'ffw-menu', label: `Node ${node.id}` })
  }

  // Keys typed in the editor are the editor's: a click focuses its canvas (X6's keyboard listens there),
  // and the notebook's own shortcuts (Ctrl+Z undoes a cell operation in Notebook 7, D D deletes a cell...)
  // never see them. Lumino honours `data-lm-suppress-shortcuts`; other hosts get no bubbling keydown.
  root.dataset.lmSuppressShortcuts = 'true'
  const ownKeys = (e) => e.stopPropagation()
  const focusCanvas = (e) => { if (!e.target.closest?.('input, textarea, [contenteditable="true"]')) host.querySelector('.fastflow-canvas')?.focus({ preventScroll: true }) }
  root.addEventListener('keydown', ownKeys)
  host.addEventListener('pointerdown', focusCanvas)
  let pressed = null
  const released = (e) => {
    if (pressed && Math.abs(e.clientX - pressed.x) < 4 && Math.abs(e.clientY - pressed.y) < 4) model.send({ type: 'click', id: pressed.id })
    pressed = null
  }
  host.addEventListener('mouseup', released)

  const start = () => {
    if (graph || !host.isConnected || !host.clientWidth || !host.clientHeight) return
    graph = root.fastflowGraph = createGraph(host, model.get('graph') || {})
    styleShadowRoot(el)
    sized.disconnect()
    for (const ev of ['node:moved', 'node:added', 'node:removed', 'edge:connected', 'edge:removed', 'node:renamed']) graph.on(ev, edited)
    for (const ev of ['undo', 'redo']) graph.getPlugin('history')?.on(ev, edited)
    // A click is a press and a release on the same spot. X6 tells the press; the release is heard on the
    // view's own element, since a host that draws widgets in a shadow root (marimo) retargets the
    // document-level events X6 uses to tell a click from a drag.
    graph.on('node:mousedown', ({ node, e }) => { if (e.button === 0) pressed = { id: node.id, x: e.clientX, y: e.clientY } })
    graph.on('node:contextmenu', openMenu)
    graph.on('node:click', askDetails)
    graph.on('selection:changed', ({ selected }) => {
      model.set('selection', selected.filter((c) => c.isNode()).map((c) => c.id))
      model.save_changes()
    })
    paint(current())
    model.send({ type: 'ready', view })
  }
  const sized = new ResizeObserver(start)
  sized.observe(host)

  model.on('msg:custom', onMsg)
  listen(model, RUN_TRAITS, onTraits)
  model.on('change:graph', onGraph)
  model.on('change:height', onHeight)
  model.on('change:history', onHistory)
  bar.show(current())
  onHistory()
  start()

  return () => {
    clearTimeout(timer)
    sized.disconnect()
    root.removeEventListener('keydown', ownKeys)
    host.removeEventListener('pointerdown', focusCanvas)
    host.removeEventListener('mouseup', released)
    model.off('msg:custom', onMsg)
    unlisten(model, RUN_TRAITS, onTraits)
    model.off('change:graph', onGraph)
    model.off('change:height', onHeight)
    model.off('change:history', onHistory)
    root.removeEventListener('contextmenu', ownMenu)
    closeMenu?.()
    graph?.fastflowDispose()
    root.remove()
  }
}

export default { initialize, render }
