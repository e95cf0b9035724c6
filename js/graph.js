// fastflow's editor: builds an AntV X6 graph from a graph spec and shows run status on it.
// Shared by the page bridge (page.js -> fastflow/static/fastflow.js) and the Jupyter widget
// (widget.js -> fastflow/static/widget.js).
//
// The graph spec (what Python's `graph_spec()` emits, what `exportFlow` returns and
// `importFlow` takes) is plain JSON:
//
//   {
//     "id": "my-pipeline",                       // graph id (also window.fastflow[id] on pages)
//     "nodes": [{
//       "id": "load", "x": 100, "y": 120,         // position of the top-left corner
//       "width": 180, "height": 48,               // optional (defaults 180 x 48)
//       "label": "Load Data", "nodeType": "input", "icon": "📥",
//       "inputs": 0, "outputs": 1,                // port count (0 = no port) or list of port names
//       "portPositions": {"inputs": "left", "outputs": "right"},  // left|right|top|bottom
//       "status": "pending",                      // optional, one of STATUSES
//       "data": {...}                             // optional, extra JSON kept in node.getData()
//     }],
//     "edges": [{
//       "source": "load", "target": "process",    // node ids
//       "sourcePort": "out-0", "targetPort": "in-0",  // optional: default first out / first in port
//       "color": "#94a3b8", "label": "rows",      // optional
//       "id": "..."                               // optional
//     }],
//     "options": {                                // all optional
//       "readOnly": false, "minimap": true, "toolbar": true, "grid": true,
//       "fit": "auto",                            // true | false | "auto" (fit only when too big)
//       "connectRules": {"input": ["transform", "output"]},  // nodeType -> allowed target nodeTypes (other types connect freely)
//       "edgeColor": "#94a3b8", "background": "#fafbfc",
//       "palette": [{"id": "llm", "label": "LLM", "nodeType": "llm", "icon": "🧠"}]  // see palette.js
//     }
//   }

import { Graph, Selection, History, Keyboard, Snapline } from '@antv/x6'
import { STATUS_LOOK, STATUSES, TYPE_LOOKS, nodeHtml, nodeMetadata, sizeAttrs, registerNodeShape, PORT_END, registerLook, lookOf, escapeHtml, isFastflowNode, outlineStroke, colorOr, isColor } from './node.js'
import { addPalette, addFromPalette, freshId, middleSpot } from './palette.js'
import { enableRename, renameNode, editLabel } from './rename.js'
import { ELK_MAX, quickLayout, elkLayout, warmELK, layoutInput, applyPositions, holdViewUpdates, normDirection } from './layout.js'
import { addMinimap, nodesBBox } from './minimap.js'
import { addDetails, showDetails, hideDetails, runInfo, addRunInfo, addRunInputs } from './details.js'
import { lazyViews } from './lazy-views.js'
import { rerouteOnMoves } from './reroute.js'
import CSS from './fastflow.css'

export { STATUSES, STATUS_LOOK, TYPE_LOOKS, nodeHtml, escapeHtml, addFromPalette, freshId, renameNode, editLabel, registerLook, lookOf, showDetails, hideDetails, addRunInfo, addRunInputs }
export const EDGE_COLOR = '#94a3b8'
export const SETTLED_GREY = '#cbd5e1'
const STATUS_OPT = { ffStatus: true }
// Edges avoid nodes (X6's manhattan router) up to this many nodes; bigger graphs route orthogonally.
const ROUTE_AROUND_MAX = 300
// Graphs with more nodes than this render only the cells in view (X6's virtual rendering).
export const VIRTUAL_MIN = 300
// ... and draw this far (px) around the view, so that moving around shows cells already drawn
const VIRTUAL_MARGIN = 120

/** Add fastflow's stylesheet to a document (once). */
export function injectStyles(doc = document) {
  if (doc.getElementById('fastflow-css')) return
  const style = doc.createElement('style')
  style.id = 'fastflow-css'
  style.textContent = CSS
  doc.head.appendChild(style)
}

// ---------------------------------------------------------------- edges

const firstPort = (node, group) => node?.getPortsByGroup?.(group)?.[0]?.id
const DASHES = { solid: null, dashed: '6 4', dotted: '2 4' }

function dashOf(lineStyle, where = 'edge') {
  if (lineStyle == null) return null
  if (!(lineStyle in DASHES)) throw new Error(`fastflow: ${where} has unknown lineStyle ${JSON.stringify(lineStyle)}; one of solid, dashed, dotted`)
  return DASHES[lineStyle]
}

/** An edge label: the text on a small rounded background, in the UI font (styled by fastflow.css). */
export const edgeLabel = (text) => ({
  markup: [
    { tagName: 'rect', selector: 'body', className: 'ff-edge-label-bg' },
    { tagName: 'text', selector: 'label', className: 'ff-edge-label' },
  ],
  attrs: {
    label: { text: String(text), fill: '#475569', fontSize: 11, textAnchor: 'middle', textVerticalAnchor: 'middle', pointerEvents: 'none' },
    body: { ref: 'label', refWidth: '100%', refHeight: '100%', refWidth2: 10, refHeight2: 6, refX: -5, refY: -3, rx: 4, ry: 4, fill: '#fff', stroke: '#e2e8f0', strokeWidth: 1 },
  },
  position: { distance: 0.5 },
})

/** How edges are routed in `graph` (of `n` nodes): around nodes while the graph is small enough. */
export function edgeRouting(graph, n = graph?.getNodes?.().length ?? 0) {
  const dir = graph?.fastflowOptions?.direction === 'TB' ? 'TB' : 'LR'
  const router = n <= ROUTE_AROUND_MAX
    ? { name: 'manhattan', args: { padding: 14, step: 10, ...(dir === 'TB' ? { startDirections: ['bottom'], endDirections: ['top'] } : {}) } }
    : { name: 'orth', args: { padding: 14 } }
  return { router, connector: { name: 'rounded', args: { radius: 10 } } }
}

/** How an edge looks, before any status: its colour, line style, an arrow head, an optional label. */
function edgeLook(color, label = null, data = {}, routing = edgeRouting(null), lineStyle = null) {
  return {
    shape: 'edge',
    ...routing,
    zIndex: 0,
    attrs: {
      line: { stroke: color, strokeWidth: 1.75, strokeDasharray: dashOf(lineStyle), targetMarker: { name: 'block', width: 8, height: 6 } },
      wrap: { strokeWidth: 12 },
    },
    labels: label != null && label !== '' ? [edgeLabel(label)] : [],
    data: { ...data, color, label, ...(lineStyle ? { lineStyle } : {}), status: 'pending' },
  }
}

const terminal = (id, port) => (port ? { cell: String(id), port: String(port) } : { cell: String(id) })

/** A port named `port` on `node` for group `group`: its id, or a table column's port on that side. */
function portFor(node, port, group) {
  if (port == null) return firstPort(node, group)
  const p = String(port)
  if (group === 'out' && node?.hasPort?.(`${p}:out`)) return `${p}:out` // a table column's right-hand port
  return p
}

// The ports of node metadata (not yet in a graph), answering what portFor asks of an X6 node.
const metaPorts = (meta) => meta && {
  hasPort: (p) => meta.ports.items.some((i) => i.id === p),
  getPortsByGroup: (g) => meta.ports.items.filter((i) => i.group === g),
}

// An edge naming a port its node doesn't have is an error that names it (not a line to the node's body).
function knownPort(node, nodeId, port, given, side) {
  if (given != null && node?.hasPort && !node.hasPort(port))
    throw new Error(`fastflow: node ${JSON.stringify(String(nodeId))} has no ${side} port ${JSON.stringify(given)}`)
  return port
}

function edgeMetadata(graph, spec, defaultColor = EDGE_COLOR, nodeOf = (id) => graph.getCellById(id), routing = edgeRouting(graph)) {
  const sNode = nodeOf(String(spec.source)), tNode = nodeOf(String(spec.target))
  const sourcePort = knownPort(sNode, spec.source, portFor(sNode, spec.sourcePort, 'out'), spec.sourcePort, 'output')
  const targetPort = knownPort(tNode, spec.target, portFor(tNode, spec.targetPort, 'in'), spec.targetPort, 'input')
  return {
    ...(spec.id ? { id: String(spec.id) } : {}),
    ...edgeLook(colorOr(spec.color, defaultColor, `edge ${JSON.stringify(String(spec.source))} -> ${JSON.stringify(String(spec.target))}`),
      spec.label ?? null, spec.data || {}, routing, spec.lineStyle ?? spec.data?.lineStyle),
    source: terminal(spec.source, sourcePort),
    target: terminal(spec.target, targetPort),
  }
}

// Edges by their two ends, for status events (found once, not by walking a node's edges per event);
// forgotten when edges come, go or change ends.
const edgeIndexes = new WeakMap()
const ENDS_CHANGED = ['model:reseted', 'cell:added', 'cell:removed', 'edge:change:source', 'edge:change:target']

/** Find the edge from `sourceId` to `targetId` (first one), or null. */
export function findEdge(graph, sourceId, targetId) {
  let ix = edgeIndexes.get(graph)
  if (!ix) {
    edgeIndexes.set(graph, (ix = { map: null }))
    const forget = () => { ix.map = null }
    for (const ev of ENDS_CHANGED) graph.on(ev, forget)
  }
  if (!ix.map) {
    ix.map = new Map()
    for (const e of graph.getEdges()) {
      const k = `${e.getSourceCellId()}\u0000${e.getTargetCellId()}`
      if (!ix.map.has(k)) ix.map.set(k, e)
    }
  }
  const edge = ix.map.get(`${sourceId}\u0000${targetId}`)
  return edge && edge.model === graph.model ? edge : null
}

// ---------------------------------------------------------------- status

// Run status is display state, and it changes fast (tens of thousands of events a second). Each
// event is applied to the model at once: the cell's data (what `getData()` returns) and the run
// details; drawing waits for the next animation frame, which draws each changed cell once, in its
// latest state (`queueStatus`). Status is written straight into the cell's store, and drawn straight
// onto the cell's DOM when the cell is drawn: X6's own path (Store.set) deep-clones the cell's whole
// state and tells every listener on each change, and X6 then redraws the cell (an edge is routed
// again). A cell drawn later (big graphs draw only what is in view) is drawn from its store, so what
// the page shows is always the store. Listeners hear one `fastflow:status` event per cell drawn
// (the minimap recolours on it).
function writeStore(cell, props) {
  const store = cell.store
  if (store?.data && typeof store.data === 'object' && !store.changing) Object.assign(store.data, props)
  else store.set(props, STATUS_OPT) // X6 is in the middle of a change of this cell: take its path
}

function drawnView(graph, cell) {
  graph.trigger('fastflow:status', { cell })
  const view = graph.findViewByCell(cell)
  return view?.container?.isConnected ? view : null
}

// a node's status into its data and its run details (not drawn yet)
function nodeStatusData(graph, nodeId, status, info) {
  const node = graph.getCellById(String(nodeId))
  if (!node || !node.isNode()) return null
  const { message = null, elapsed = null } = info || {}
  writeStore(node, { data: { ...node.getData(), status, message, elapsed } })
  runInfo(graph, node.id, status, info)
  return node
}

// a node drawn from its data: its content and its outline, with the attributes merged here
function drawNode(graph, node) {
  const data = node.getData() || {}
  const html = nodeHtml(data)
  const stroke = outlineStroke(node, data.status)
  const attrs = node.getAttrs()
  const body = attrs.body || {}
  const redraw = attrs.foBody?.html !== html
  const restroke = body.style?.['--ff-stroke'] !== stroke
  if (!redraw && !restroke) return void graph.trigger('fastflow:status', { cell: node })
  const next = { ...attrs }
  if (redraw) next.foBody = { ...attrs.foBody, html }
  if (restroke) next.body = { ...body, style: { ...body.style, '--ff-stroke': stroke } }
  writeStore(node, { attrs: next })
  const sel = drawnView(graph, node)?.selectors
  if (redraw && sel?.foBody instanceof Element) sel.foBody.innerHTML = html
  if (restroke && sel?.body instanceof Element) sel.body.style.setProperty('--ff-stroke', stroke)
}

/** Show `status` on a node; `info` may carry `message`, `elapsed` (seconds), and for the details
 * panel `inputs`, `result`, `traceback` / `details`. */
export function setNodeStatus(graph, nodeId, status, info = {}) {
  const node = nodeStatusData(graph, nodeId, status, info)
  if (!node) return false
  pendingOf(graph)?.nodes.delete(node) // drawn now
  drawNode(graph, node)
  return true
}

/** Show `status` on the edge sourceId -> targetId, with the `ant-line` animation if `animated`. */
export function setEdgeStatus(graph, sourceId, targetId, status, animated = false) {
  const edge = findEdge(graph, sourceId, targetId)
  if (!edge) return false
  applyEdgeStatus(graph, edge, status, animated)
  return true
}

// an edge's status into its data (not drawn yet)
function edgeStatusData(edge, status, animated) {
  const old = edge.getData() || {}
  if (old.status !== status || !!old.animated !== !!animated) writeStore(edge, { data: { ...old, status, animated: !!animated } })
}

function applyEdgeStatus(graph, edge, status, animated) {
  edgeStatusData(edge, status, animated)
  pendingOf(graph)?.edges.delete(edge)
  drawEdge(graph, edge)
}

// The `marker-end` X6 drew for an arrow head of each colour (X6 defines one <marker> per look):
// an edge whose colour changes gets the marker of its new colour without X6 drawing its attributes.
const markers = new WeakMap()

// An edge while a run goes: blue / green and moving; once settled (not animated): green where data
// passed (success), light grey where it did not, in its own line style (a dashed branch stays dashed);
// its own colour when pending.
function drawEdge(graph, edge) {
  const { status = 'pending', animated, color: own, lineStyle } = edge.getData() || {}
  const look = STATUS_LOOK[status]
  const moving = !!animated
  let color = isColor(own) ? own : EDGE_COLOR
  let dash = DASHES[lineStyle] ?? null
  if (status !== 'pending' && look) {
    if (moving) [color, dash] = [look.color, '5 5']
    else if (status === 'success') color = look.color
    else color = SETTLED_GREY
  }
  const animation = moving ? 'ant-line 30s infinite linear' : null
  const attrs = edge.getAttrs()
  const line = attrs.line || {}
  if (line.stroke === color && (line.strokeDasharray ?? null) === dash && (line.style?.animation ?? null) === animation) return
  // its line (X6 draws the line's attributes, the arrow head in the line's colour included,
  // without routing the edge again)
  const next = { ...line, stroke: color, strokeDasharray: dash, style: { ...line.style, animation } }
  writeStore(edge, { attrs: { ...attrs, line: next } })
  const view = drawnView(graph, edge)
  const el = view?.selectors?.line
  if (!(el instanceof Element)) return
  let known = markers.get(graph)
  if (!known) markers.set(graph, (known = new Map()))
  const key = JSON.stringify([color, next.strokeWidth, next.targetMarker, next.sourceMarker])
  const marker = known.get(key)
  if (marker === undefined) {
    view.updateAttrs(view.container, { line: next }, { selectors: view.selectors })
    known.set(key, [el.getAttribute('marker-start'), el.getAttribute('marker-end')])
    return
  }
  el.setAttribute('stroke', color)
  if (dash == null) el.removeAttribute('stroke-dasharray')
  else el.setAttribute('stroke-dasharray', dash)
  el.style.animation = animation ?? ''
  marker.forEach((m, i) => { const a = i ? 'marker-end' : 'marker-start'; if (m == null) el.removeAttribute(a); else el.setAttribute(a, m) })
}

/** A run ended: every edge stops moving; green where data passed, grey where it did not. */
export function settleEdges(graph) {
  // (each edge drawn once, settled: not first as the run left it)
  const edges = pendingOf(graph, true).edges
  for (const edge of graph.getEdges()) {
    const { status = 'pending' } = edge.getData() || {}
    edgeStatusData(edge, status === 'success' ? 'success' : status === 'pending' ? 'cancelled' : status, false)
    edges.add(edge)
  }
  flushStatus(graph)
  drawNow(graph)
}

/** Every node back to pending, every edge back to its own colour, no animation, no run details. */
export function resetAllStatus(graph) {
  flushStatus(graph, true)
  graph.fastflowRunInfo?.clear()
  graph.startBatch('ff-status')
  for (const node of graph.getNodes()) if (isFastflowNode(node)) setNodeStatus(graph, node.id, 'pending')
  for (const edge of graph.getEdges()) applyEdgeStatus(graph, edge, 'pending', false)
  graph.stopBatch('ff-status')
  graph.fastflowRunInfo?.clear()
}

// The cells whose status changed since the graph was last drawn, drawn on the next animation frame.
const pendings = new WeakMap()
function pendingOf(graph, make = false) {
  let p = pendings.get(graph)
  if (!p && make) pendings.set(graph, (p = { nodes: new Set(), edges: new Set(), frame: 0 }))
  return p
}

/** Apply one protocol event (`nodeStatus` / `edgeStatus` data) now; it is drawn on the next frame. */
export function queueStatus(graph, kind, data) {
  let cell
  if (kind === 'nodeStatus') cell = nodeStatusData(graph, data.nodeId, data.status, data)
  else if (kind === 'edgeStatus') {
    cell = findEdge(graph, data.sourceId, data.targetId)
    if (cell) edgeStatusData(cell, data.status, data.animated)
  }
  if (!cell) return
  const p = pendingOf(graph, true)
  ;(kind === 'nodeStatus' ? p.nodes : p.edges).add(cell)
  if (!p.frame) p.frame = requestAnimationFrame(() => flushStatus(graph))
}

/** Draw the cells whose status changed now (`dropOnly`: forget them; their data stays). */
export function flushStatus(graph, dropOnly = false) {
  const p = pendings.get(graph)
  if (!p) return 0
  if (p.frame) cancelAnimationFrame(p.frame)
  p.frame = 0
  const nodes = [...p.nodes], edges = [...p.edges]
  p.nodes.clear()
  p.edges.clear()
  if (dropOnly || graph.disposed) return 0
  graph.startBatch('ff-status')
  for (const n of nodes) if (n.model === graph.model) drawNode(graph, n)
  for (const e of edges) if (e.model === graph.model) drawEdge(graph, e)
  graph.stopBatch('ff-status')
  return nodes.length + edges.length
}

// X6 draws changes in 16 ms slices, one per frame (and a cell changed again before it is drawn is
// drawn once): right for a stream of status changes, but when a run ends, the page would show its
// final state only many frames later. Then the queue is drawn at once (cells out of view only
// wait to be drawn when they come into view, which is cheap).
function drawNow(graph) {
  const jobs = graph.renderer?.schedule?.queue
  if (!jobs?.queue?.length || typeof jobs.flushJobsSync !== 'function') return
  jobs.cancelScheduleJob?.()
  jobs.flushJobsSync()
}

// ---------------------------------------------------------------- export / import

/** The graph as a graph spec (same JSON format as the one it was built from). */
export function exportFlow(graph) {
  const nodes = graph.getNodes().map((node) => {
    const { x, y } = node.getPosition()
    const { width, height } = node.getSize()
    const { status, message, elapsed, label, nodeType, icon, inputs, outputs, portPositions, id, shape, color, html, ...data } =
      node.getData() || {}
    const out = { id: node.id, x, y, width, height, label, nodeType, icon, inputs, outputs, portPositions }
    // the look: only what differs from the node type's
    if (shape && shape !== lookOf(nodeType).shape) out.shape = shape
    if (color != null) out.color = color
    if (html != null) out.html = html
    if (Object.keys(data).length) out.data = data
    return out
  })
  const edges = graph.getEdges().map((edge) => {
    const { color, label, status, animated, lineStyle, ...data } = edge.getData() || {}
    const out = {
      ...(lineStyle ? { lineStyle } : {}),
      id: edge.id,
      source: edge.getSourceCellId(),
      target: edge.getTargetCellId(),
      sourcePort: edge.getSourcePortId() ?? null,
      targetPort: edge.getTargetPortId() ?? null,
      color: color || EDGE_COLOR,
      label: label ?? null,
    }
    if (Object.keys(data).length) out.data = data
    return out
  })
  const flow = { id: graph.fastflowId ?? null, nodes, edges }
  return JSON.parse(JSON.stringify(flow))
}

/** Graph-spec nodes with a place: nodes without `x`/`y` are laid out in layers (`quickLayout`). */
export function layoutNodes(spec, { direction = 'LR' } = {}) {
  const nodes = spec.nodes || []
  if (nodes.every((n) => n.x != null && n.y != null)) return nodes
  const at = quickLayout(nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })), spec.edges || [], { direction })
  return nodes.map((n) => (n.x != null && n.y != null ? n : { ...n, ...at.get(String(n.id)) }))
}

const unplaced = (n) => n.x == null || n.y == null
// 'auto': a graph the editor lays out (no node has a position) goes top to bottom in an editor narrower than
// this (a phone, a narrow column), where a long flow fits the screen's height instead of running off its side
const NARROW = 600
function autoDirection(direction, container, spec) {
  if (String(direction ?? 'auto').toLowerCase() !== 'auto') return normDirection(direction)
  const w = container.clientWidth
  const nodes = spec.nodes || []
  return w > 0 && w < NARROW && nodes.length && nodes.every(unplaced) ? 'TB' : 'LR' // (placed nodes were placed left to right)
}

/** `spec`, checked before anything changes: an error naming the node or edge at fault. */
// X6 keeps a graph's cells in objects keyed by id: an id every object has a property of (`constructor`,
// `toString`, `__proto__`, ...) can't be one (Python's JS_OBJECT_NAMES)
function objectName(id, who) {
  if (String(id) in Object.prototype) throw new Error(`fastflow: ${who}: the id ${JSON.stringify(String(id))} is a name every JavaScript object has, which the page can't draw a cell by; rename it`)
}

function checkFlow(spec) {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new Error('fastflow: a flow is an object with nodes and edges')
  for (const k of ['nodes', 'edges'])
    if (spec[k] != null && !Array.isArray(spec[k])) throw new Error(`fastflow: the flow's ${k} must be a list`)
  const ids = new Set()
  ;(spec.nodes || []).forEach((n, i) => {
    if (!n || typeof n !== 'object' || n.id == null || n.id === '') throw new Error(`fastflow: node #${i} needs an id`)
    if (ids.has(String(n.id))) throw new Error(`fastflow: node ${JSON.stringify(String(n.id))} appears twice`)
    objectName(n.id, `node ${JSON.stringify(String(n.id))}`)
    ids.add(String(n.id))
  })
  ;(spec.edges || []).forEach((e, i) => {
    if (!e || typeof e !== 'object') throw new Error(`fastflow: edge #${i} must be an object`)
    if (e.id != null) objectName(e.id, `edge ${JSON.stringify(String(e.source))} -> ${JSON.stringify(String(e.target))}`)
    for (const end of ['source', 'target'])
      if (!ids.has(String(e[end]))) throw new Error(`fastflow: edge ${JSON.stringify(String(e.source))} -> ${JSON.stringify(String(e.target))}: ${end} ${JSON.stringify(e[end])} is not a node of the flow`)
  })
  return spec
}

// An import is one undo step of its own: the flow before and the flow after, each read in whole
// again on undo and redo (see createGraph's History). Not a batch of X6 commands, one per cell
// removed and added: X6 takes a removal and an add of the same id for nothing done, and searches
// the batch for every cell (minutes for a 10,000-node flow).
export const FLOW_IMPORTED = 'fastflow:flow-imported'

/** Replace the graph's content by a graph spec (an object or its JSON text). Nodes without a place
 * are laid out (ELK when all of them lack one and the graph is small; see `tidyUp`). `undoable`:
 * one undo step brings back the flow it replaced. */
export function importFlow(graph, flow, { undoable = false } = {}) {
  const spec = checkFlow(typeof flow === 'string' ? JSON.parse(flow) : flow)
  const history = graph.getPlugin?.('history')
  if (!undoable || !history?.isEnabled?.()) return resetFlow(graph, spec)
  const before = exportFlow(graph)
  history.disable()
  try { resetFlow(graph, spec) } finally { history.enable() }
  history.push({ batch: false, event: FLOW_IMPORTED, data: { before, after: JSON.parse(JSON.stringify(spec)) }, options: {} }, {})
  return graph
}

// the graph's content replaced by `spec` (checked), in one reset of the model
function resetFlow(graph, spec) {
  const options = graph.fastflowOptions || {}
  const direction = normDirection(options.direction)
  for (const [type, look] of Object.entries(options.looks || {})) registerLook(type, look)
  flushStatus(graph, true)
  graph.fastflowRunInfo?.clear()
  // (a layout of the flow this one replaces, still to come, is dropped)
  graph.fastflowLayoutToken = (graph.fastflowLayoutToken || 0) + 1
  const specs = (spec.nodes || []).map((n) =>
    direction === 'TB' && !n.portPositions && !n.data?.portPositions ? { ...n, portPositions: { inputs: 'top', outputs: 'bottom' } } : n)
  const toPlace = specs.filter(unplaced).length
  const byELK = toPlace > 0 && toPlace === specs.length && specs.length <= ELK_MAX
  if (byELK) warmELK() // (its worker starts while the graph is drawn)
  const metas = specs.map((n) => nodeMetadata(n))
  if (toPlace) {
    const at = quickLayout(metas, spec.edges || [], { direction })
    metas.forEach((m, i) => { if (unplaced(specs[i])) Object.assign(m, at.get(m.id)) })
  }
  // one reset of the model (not one add per cell: X6 sorts the graph after each add)
  const byId = new Map(metas.map((m) => [m.id, m]))
  const color = options.edgeColor || EDGE_COLOR
  const routing = edgeRouting({ getNodes: () => metas, fastflowOptions: options })
  const edges = (spec.edges || []).map((e) => edgeMetadata(graph, e, color, (id) => metaPorts(byId.get(id)), routing))
  const cells = [...metas.map((m) => graph.createNode({ ...m, zIndex: 1 })), ...edges.map((e) => graph.createEdge(e))]
  selectOnly(graph)
  graph.resetCells(cells)
  const show = hideGraph(graph, byELK)
  graph.fastflowLayout = byELK ? layOutUnseen(graph).finally(show) : Promise.resolve(false)
  return graph
}

/** Hide the graph's drawing (`hidden`) until the returned function is called, or show it now. The
 * flow read last decides: showing for an earlier one does nothing. */
function hideGraph(graph, hidden) {
  const host = graph.container?.closest('.fastflow-host')
  const mine = (graph.fastflowHidden = (graph.fastflowHidden || 0) + 1)
  host?.classList.toggle('ff-laying-out', hidden)
  return () => { if (mine === graph.fastflowHidden && !graph.disposed) host?.classList.remove('ff-laying-out') }
}

// A graph without positions is shown once ELK has laid it out, not before: shown at once in the quick
// layout, its nodes would move under the user's eyes, and mouse, when ELK's answer came. A hung ELK
// can't hide it for long: after ELK_PATIENCE ms the quick layout is shown, and stays.
const ELK_PATIENCE = 8000

function layOutUnseen(graph) {
  let timer = null
  const late = new Promise((resolve) => { timer = setTimeout(resolve, ELK_PATIENCE, 'late') })
  const laid = tidyUp(graph, { undoable: false, fit: graph.fastflowFitted !== false })
    .catch((err) => (console.warn('fastflow: ELK layout failed; keeping the quick layout', err), false))
  return Promise.race([laid, late]).then((done) => {
    clearTimeout(timer)
    if (done === 'late') {
      graph.fastflowLayoutToken = (graph.fastflowLayoutToken || 0) + 1 // (ELK's answer, if it comes, is dropped)
      console.warn(`fastflow: ELK did not lay the graph out within ${ELK_PATIENCE / 1000} s; keeping the quick layout`)
      done = false
    }
    return done
  })
}

/**
 * Lay the graph out in layers again ("tidy up"): ELK for graphs up to ELK_MAX nodes, the quick
 * layered layout beyond. `direction` 'LR' or 'TB' (default: the graph's). One undo step.
 * Returns a promise, resolved once the nodes moved.
 */
export async function tidyUp(graph, { direction, undoable = true, fit: refit = true } = {}) {
  const dir = normDirection(direction ?? graph.fastflowOptions?.direction)
  const { nodes, edges } = layoutInput(graph)
  if (!nodes.length) return false
  const token = (graph.fastflowLayoutToken = (graph.fastflowLayoutToken || 0) + 1)
  const quick = () => quickLayout(nodes, edges, { direction: dir })
  const at = nodes.length <= ELK_MAX
    ? await elkLayout(nodes, edges, { direction: dir }).catch((err) => (console.warn('fastflow: ELK layout failed; using the quick layout', err), quick()))
    : quick()
  if (graph.disposed || token !== graph.fastflowLayoutToken) return false
  applyPositions(graph, at, undoable)
  if (refit) fit(graph)
  graph.trigger('fastflow:layout', { direction: dir })
  return true
}

/** Add one node (a node of a graph spec); returns the X6 node. */
/** Add a node of the graph format; without `x`/`y` it goes where a palette click puts one (`middleSpot`). */
export function addNode(graph, spec) {
  const meta = nodeMetadata(spec)
  if (spec.x == null || spec.y == null) Object.assign(meta, middleSpot(graph, meta.width, meta.height))
  return graph.addNode(meta)
}

/** Add one edge (an edge of a graph spec); returns the X6 edge. */
export const addEdge = (graph, spec) =>
  graph.addEdge(edgeMetadata(graph, spec, graph.fastflowOptions?.edgeColor || EDGE_COLOR))

// ---------------------------------------------------------------- editing

function reaches(graph, fromId, toId, skip = null) {
  const seen = new Set()
  const stack = [fromId]
  while (stack.length) {
    const id = stack.pop()
    if (id === toId) return true
    if (seen.has(id)) continue
    seen.add(id)
    const cell = graph.getCellById(id)
    for (const e of graph.getOutgoingEdges(cell) || []) if (e !== skip && e.getTargetCellId()) stack.push(e.getTargetCellId())
  }
  return false
}

const groupOf = (cell, port) => cell?.getPort?.(port)?.group

/**
 * May an edge go from `source` (node, out port) to `target` (node, in port)? An edge dragged
 * from an input port to an output port counts as the same edge the right way round.
 */
// Connect rules (`{nodeType: [nodeTypes]}`) speak of the types they name: an edge between two of
// those must be in them; a node of any other type (a plain node beside typed ones) connects freely.
function ruledIn(rules, source, target) {
  if (!rules || typeof rules !== 'object') return true
  const named = new Set(Object.keys(rules))
  for (const to of Object.values(rules)) if (Array.isArray(to)) for (const t of to) named.add(t)
  if (!named.has(source) || !named.has(target)) return true
  const allowed = Object.hasOwn(rules, source) ? rules[source] : null
  return Array.isArray(allowed) && allowed.includes(target)
}

export function canConnect(graph, args) {
  let { sourceCell, targetCell, sourcePort, targetPort, edge } = args
  if (sourcePort && groupOf(sourceCell, sourcePort) === 'in' && groupOf(targetCell, targetPort) === 'out')
    [sourceCell, targetCell, sourcePort, targetPort] = [targetCell, sourceCell, targetPort, sourcePort]
  if (!sourceCell || !targetCell || !sourceCell.isNode() || !targetCell.isNode()) return false
  if (sourceCell === targetCell) return false
  if (sourcePort && groupOf(sourceCell, sourcePort) !== 'out') return false
  if (!targetPort || groupOf(targetCell, targetPort) !== 'in') return false
  if (!ruledIn(graph.fastflowOptions?.connectRules, sourceCell.getData()?.nodeType, targetCell.getData()?.nodeType)) return false
  const dup = graph
    .getOutgoingEdges(sourceCell)
    ?.some((e) => e !== edge && e.getTargetCellId() === targetCell.id && e.getTargetPortId() === targetPort && e.getSourcePortId() === sourcePort)
  if (dup) return false
  return !reaches(graph, targetCell.id, sourceCell.id, edge) // the edge being drawn is not a path yet
}

/** An edge drawn from an input port to an output port is turned round (in the same undo step). */
// An edge drawn from a named output port (a decision's branch: `yes`, `no`, ...) says which branch it is on.
function labelBranch({ edge }) {
  const port = edge.getSourcePortId()
  const outs = edge.getSourceCell()?.getData()?.outputs
  if (!port || !Array.isArray(outs) || !outs.map(String).includes(port) || edge.getData()?.label != null) return
  edge.setData({ label: port }, { ffEdit: true })
  edge.setLabels([edgeLabel(port)])
}

function turnRound({ edge }) {
  const source = edge.getSource()
  if (groupOf(edge.getSourceCell(), source.port) !== 'in') return
  const target = edge.getTarget()
  edge.setSource(target)
  edge.setTarget(source)
}

// (X6 sorts the whole graph after each cell added, unless told not to: cells added together are sorted once)
const UNSORTED = { sort: false }

/** Select `cells` and nothing else, at once (X6 measures the selection again after each cell that
 * comes or goes otherwise: minutes for a thousand nodes). */
const selectOnly = (graph, cells = []) => graph.getPlugin?.('selection')?.reset(cells, { batch: true })

/** Paste copies of cells (their JSON) `offset` px away; nodes get ids after their type (`join-2`), like palette drops. One undo step. */
function pasteCopies(graph, jsons, offset) {
  const ids = new Map()
  const out = []
  graph.startBatch('paste')
  for (const j of jsons.filter((j) => j.shape !== 'edge' && !j.source)) {
    const type = j.data?.nodeType
    const stem = type && type !== 'default' ? type : String(j.id).replace(/-\d+$/, '')
    const id = freshId(graph, stem)
    ids.set(j.id, id)
    const pos = j.position || { x: 0, y: 0 }
    out.push(graph.addNode({ ...j, id, position: { x: pos.x + offset, y: pos.y + offset } }, UNSORTED))
  }
  for (const j of jsons.filter((j) => j.source && j.target)) {
    const s = ids.get(j.source.cell), t = ids.get(j.target.cell)
    if (!s || !t) continue
    const { id, ...rest } = j
    out.push(graph.addEdge({ ...rest, source: { ...j.source, cell: s }, target: { ...j.target, cell: t } }, UNSORTED))
  }
  graph.model.collection.sort()
  graph.stopBatch('paste')
  return out
}

/** Delete the selected cells (one undo step; the selection is emptied first, at once). */
function deleteSelection(graph) {
  const cells = graph.getPlugin('selection')?.getSelectedCells() || []
  if (!cells.length) return false
  selectOnly(graph)
  graph.removeCells(cells)
  return true
}

function bindKeys(graph) {
  const kb = graph.getPlugin('keyboard')
  const history = graph.getPlugin('history')
  const sel = graph.getPlugin('selection')
  const selected = () => sel.getSelectedCells()
  const stop = (f) => (e) => {
    f()
    e?.preventDefault?.()
    return false
  }
  kb.bindKey(['meta+z', 'ctrl+z'], stop(() => history.canUndo() && history.undo()))
  kb.bindKey(['meta+shift+z', 'ctrl+shift+z', 'ctrl+y'], stop(() => history.canRedo() && history.redo()))
  // a copy is the cells' JSON, which paste reads (X6's clipboard would clone every cell, and cut
  // them one by one); each paste of it lands a step further on, not on the one before
  const keep = () => { graph.fastflowCopied = selected().map((c) => c.toJSON()); graph.fastflowPasted = 0 }
  kb.bindKey(['meta+c', 'ctrl+c'], stop(() => { if (selected().length) keep() }))
  kb.bindKey(['meta+x', 'ctrl+x'], stop(() => { if (selected().length) { keep(); deleteSelection(graph) } }))
  kb.bindKey(['meta+v', 'ctrl+v'], stop(() => {
    if (!graph.fastflowCopied?.length) return
    graph.fastflowPasted = (graph.fastflowPasted || 0) + 1
    selectOnly(graph, pasteCopies(graph, graph.fastflowCopied, 32 * graph.fastflowPasted))
  }))
  kb.bindKey(['meta+a', 'ctrl+a'], stop(() => selectOnly(graph, graph.getCells())))
  kb.bindKey(['backspace', 'delete'], stop(() => deleteSelection(graph)))
  kb.bindKey(['meta+=', 'ctrl+=', '+'], stop(() => graph.zoom(0.1)))
  kb.bindKey(['meta+-', 'ctrl+-', '-'], stop(() => graph.zoom(-0.1)))
  kb.bindKey(['meta+0', 'ctrl+0', '0'], stop(() => fit(graph)))
  kb.bindKey('l', stop(() => tidyUp(graph)))
  kb.bindKey('escape', stop(() => selectOnly(graph)))
}

/** Whether every node of `graph` is in its view (true for none). */
function allInView(graph) {
  const box = nodesBBox(graph), a = graph.getGraphArea()
  return !box || (box.x >= a.x && box.y >= a.y && box.x + box.width <= a.x + a.width && box.y + box.height <= a.y + a.height)
}

/** The smallest zoom `fit` uses: below it node labels can't be read. */
export const MIN_FIT_SCALE = 0.6

/**
 * Zoom and centre so the whole graph shows (never zooming in past 100%). A graph too big to show
 * at `minScale` is shown from its start (top left) at that zoom: the minimap shows the rest.
 */
export function fit(graph, { minScale = MIN_FIT_SCALE, padding = 32 } = {}) {
  if (!graph.getCellCount()) return
  const box = nodesBBox(graph)
  const W = graph.container.clientWidth
  const H = graph.container.clientHeight
  if (!box || !W || !H) return
  const s = Math.min(1, (W - 2 * padding) / Math.max(1, box.width), (H - 2 * padding) / Math.max(1, box.height))
  if (s >= minScale) return graph.zoomToFit({ padding, maxScale: 1 })
  graph.zoomTo(minScale)
  const cx = box.width * minScale <= W - 2 * padding ? (W - box.width * minScale) / 2 : padding
  const cy = box.height * minScale <= H - 2 * padding ? (H - box.height * minScale) / 2 : padding
  graph.translate(cx - box.x * minScale, cy - box.y * minScale)
}

/** Switch the graph's layout direction (LR <-> TB) and tidy up. */
function flipDirection(graph) {
  const next = normDirection(graph.fastflowOptions?.direction) === 'LR' ? 'TB' : 'LR'
  graph.fastflowOptions.direction = next
  const side = next === 'TB' ? { inputs: 'top', outputs: 'bottom' } : { inputs: 'left', outputs: 'right' }
  graph.startBatch('ff-tidy')
  for (const node of graph.getNodes()) {
    const d = node.getData() || {}
    if (!isFastflowNode(node) || d.shape === 'table') continue
    const spec = { ...d, id: node.id, ...node.getSize(), portPositions: side }
    node.setData({ portPositions: side })
    node.prop('ports/items', nodeMetadata(spec).ports.items, { rewrite: true })
  }
  const n = graph.getNodes().length
  for (const edge of graph.getEdges()) edge.setRouter(edgeRouting(graph, n).router)
  graph.stopBatch('ff-tidy')
  return tidyUp(graph, { direction: next })
}

const TOOLBAR = [
  ['zoom-in', '+', 'Zoom in (Ctrl +)', (g) => g.zoom(0.1)],
  ['zoom-out', '−', 'Zoom out (Ctrl -)', (g) => g.zoom(-0.1)],
  ['fit', '⤢', 'Fit to view (Ctrl 0)', (g) => fit(g)],
  ['tidy', '⊞', 'Tidy up: lay the graph out in layers (L)', (g) => tidyUp(g, { undoable: !g.fastflowOptions?.readOnly })],
  ['direction', '⇅', 'Lay out top to bottom / left to right', (g) => flipDirection(g)],
  ['undo', '↶', 'Undo (Ctrl Z)', (g) => g.getPlugin('history')?.undo(), true],
  ['redo', '↷', 'Redo (Ctrl Shift Z)', (g) => g.getPlugin('history')?.redo(), true],
  ['delete', '🗑', 'Delete selection (Del)', (g) => deleteSelection(g), true],
]

function addToolbar(graph, host, readOnly) {
  const bar = host.ownerDocument.createElement('div')
  bar.className = 'ff-toolbar'
  bar.setAttribute('role', 'toolbar')
  bar.setAttribute('aria-label', 'Graph tools')
  for (const [name, text, title, act, edits] of TOOLBAR) {
    if (edits && readOnly) continue
    const b = host.ownerDocument.createElement('button')
    b.type = 'button'
    b.className = `ff-btn ff-${name}`
    b.title = title
    b.setAttribute('aria-label', title)
    b.textContent = text
    b.addEventListener('click', () => act(graph))
    bar.appendChild(b)
  }
  host.appendChild(bar)
  return bar
}

// ---------------------------------------------------------------- createGraph

/**
 * Build an X6 graph in `container` from a graph spec. `opts` override `spec.options`.
 * The container is filled (it should have a size); the graph follows its size.
 * Returns the X6 `Graph`, with `graph.fastflowId`, and `graph.fastflowDispose()` to tear it down.
 */
export function createGraph(container, spec = {}, opts = {}) {
  const options = { minimap: true, toolbar: true, grid: true, fit: 'auto', readOnly: false, direction: 'auto', theme: 'auto', ...(spec.options || {}), ...opts }
  options.direction = autoDirection(options.direction, container, spec)
  if (!['auto', 'light', 'dark'].includes(options.theme)) throw new Error(`fastflow: theme must be 'auto', 'light' or 'dark', not ${JSON.stringify(options.theme)}`)
  for (const k of ['edgeColor', 'background']) options[k] = colorOr(options[k], undefined, `options.${k}`)
  const doc = container.ownerDocument || document
  injectStyles(doc)
  registerNodeShape(Graph)
  container.classList.add('fastflow-host')
  container.classList.toggle('ff-theme-light', options.theme === 'light')
  container.classList.toggle('ff-theme-dark', options.theme === 'dark')
  container.classList.toggle('ff-with-toolbar', !!options.toolbar)
  const readOnly = !!options.readOnly
  const withPalette = !readOnly && Array.isArray(options.palette) && options.palette.length > 0
  // the stage is the canvas' frame: all of the host, or what the palette leaves of it
  const stage = doc.createElement('div')
  stage.className = withPalette ? 'fastflow-stage ff-with-palette' : 'fastflow-stage'
  const canvas = doc.createElement('div')
  canvas.className = 'fastflow-canvas'
  stage.appendChild(canvas)
  container.appendChild(stage)
  let graph
  // big graphs draw only what is in view (and a margin), and make views only near it: mounting,
  // moving around and status updates stay fast
  const lazy = (spec.nodes?.length || 0) > VIRTUAL_MIN ? lazyViews(VIRTUAL_MARGIN) : null
  graph = new Graph({
    container: canvas,
    autoResize: stage,
    ...(lazy ? { virtual: { enabled: true, margin: VIRTUAL_MARGIN }, createCellView: lazy.createCellView } : {}),
    ...(options.background ? { background: { color: options.background } } : {}),
    grid: options.grid ? { visible: true, size: 10, type: 'dot', args: { color: 'rgba(148, 163, 184, 0.55)', thickness: 1 } } : false,
    panning: { enabled: true, eventTypes: ['leftMouseDown'] },
    mousewheel: { enabled: true, modifiers: ['ctrl', 'meta'], factor: 1.1, minScale: 0.1, maxScale: 3 },
    scaling: { min: 0.05, max: 4 },
    interacting: readOnly ? false : { nodeMovable: true, edgeMovable: true, magnetConnectable: true, edgeLabelMovable: false },
    connecting: {
      snap: { radius: 24 },
      allowBlank: false,
      allowLoop: false,
      allowNode: false,
      allowEdge: false,
      allowMulti: 'withPort',
      highlight: true,
      connectionPoint: PORT_END,
      ...edgeRouting(null),
      createEdge: () => graph.createEdge(edgeLook(options.edgeColor || EDGE_COLOR, null, {}, edgeRouting(graph))),
      validateConnection: (args) => canConnect(graph, args),
    },
    highlighting: {
      magnetAvailable: { name: 'className', args: { className: 'ff-port-available' } },
      magnetAdsorbed: { name: 'className', args: { className: 'ff-port-adsorbed' } },
    },
  })
  lazy?.attach(graph)
  graph.fastflowId = spec.id ?? null
  graph.fastflowOptions = options
  graph.fastflowFitted = options.fit !== false
  graph.use(new Selection({ enabled: true, multiple: true, rubberband: !readOnly, modifiers: ['shift'], multipleSelectionModifiers: ['ctrl', 'meta', 'shift'], showNodeSelectionBox: true, movable: !readOnly, pointerEvents: 'none' }))
  // X6 finds a node's selection box with a CSS selector made from its id, which a `"` in the id breaks
  const selImpl = graph.getPlugin('selection')?.selectionImpl
  // moving a selection redraws each of its views once per move, not an edge once per node it joins
  const translateSelectedNodes = selImpl?.translateSelectedNodes
  if (translateSelectedNodes) selImpl.translateSelectedNodes = function (...args) { return holdViewUpdates(graph, () => translateSelectedNodes.apply(this, args)) }
  if (selImpl) selImpl.destroySelectionBox = function (cell) {
    this.removeCellUnSelectedClassName(cell)
    if (!this.canShowSelectionBox(cell)) return
    for (const box of this.container.querySelectorAll('[data-cell-id]')) if (box.getAttribute('data-cell-id') === String(cell.id)) box.remove()
    if (this.$boxes.length === 0) this.hide()
    this.boxCount = Math.max(0, this.boxCount - 1)
  }
  graph.use(new Snapline({ enabled: !readOnly }))
  graph.use(
    new History({
      enabled: !readOnly,
      // status display is not an edit: moves, connections, adds, removes and renames are undone
      beforeAddCommand: (event, args) =>
        !(args?.options?.ffStatus || ((args?.key === 'attrs' || args?.key === 'data') && !args?.options?.ffEdit)),
      // an imported flow (see importFlow): undo reads the flow it replaced again, redo the flow itself
      executeCommand: (cmd, revert) => { if (cmd.event === FLOW_IMPORTED) resetFlow(graph, revert ? cmd.data.before : cmd.data.after) },
    }),
  )
  // an undo or a redo of many moves redraws each view once, too
  const history = graph.getPlugin('history')
  for (const k of ['undo', 'redo']) { const f = history[k]; history[k] = (...args) => holdViewUpdates(graph, () => f.apply(history, args)) }
  graph.use(new Keyboard({ enabled: true, global: false }))
  if (!readOnly) bindKeys(graph)
  else {
    const kb = graph.getPlugin('keyboard')
    kb.bindKey(['meta+=', 'ctrl+=', '+'], () => graph.zoom(0.1))
    kb.bindKey(['meta+-', 'ctrl+-', '-'], () => graph.zoom(-0.1))
    kb.bindKey(['meta+0', 'ctrl+0', '0'], () => fit(graph))
  }
  canvas.tabIndex = 0
  const bar = options.toolbar ? addToolbar(graph, container, readOnly) : null
  const palette = withPalette ? addPalette(graph, container, options.palette) : null
  const details = addDetails(graph, container)
  if (!readOnly) {
    enableRename(graph, container)
    graph.on('edge:connected', turnRound)
    graph.on('edge:connected', labelBranch)
  }
  // a node's outline and content have their size as numbers (see sizeAttrs): a resized node gets its new one
  graph.on('node:change:size', ({ node }) => {
    if (!isFastflowNode(node)) return
    const { width, height } = node.getSize()
    node.setAttrs(sizeAttrs(node.getData()?.shape, width, height), STATUS_OPT)
  })
  const stopRerouting = rerouteOnMoves(graph, () => graph.getNodes().length <= ROUTE_AROUND_MAX)
  importFlow(graph, spec)
  graph.getPlugin('history')?.clean()
  let mini = null, minimap = null
  if (options.minimap) {
    mini = doc.createElement('div')
    mini.className = 'ff-minimap ff-hidden'
    container.appendChild(mini)
    minimap = addMinimap(graph, mini)
    // the minimap only helps when the graph does not fit: hide it otherwise
    let pending = 0
    const update = () => {
      pending = 0
      mini.classList.toggle('ff-hidden', allInView(graph))
    }
    const later = () => { if (!pending) pending = requestAnimationFrame(update) }
    for (const ev of ['scale', 'translate', 'resize', 'cell:added', 'cell:removed', 'node:change:position', 'model:reseted'])
      graph.on(ev, later)
    later()
  }
  const autoFit = () => {
    if (options.fit === true) return fit(graph)
    if (options.fit !== 'auto' || !graph.getCellCount()) return
    if (!allInView(graph)) fit(graph) // (past any side: a node added while the editor was hidden may lie above or left of it)
  }
  // fitted, and a big graph's nodes and edges in view drawn now (its views are only those near the
  // view), not in slices over the next frames, where the edges came last, one frame after another
  const showNow = () => {
    autoFit()
    if (lazy) { lazy.update(); drawNow(graph) }
  }
  // hidden when mounted (display:none, an inactive tab, a collapsed panel): done when first shown,
  // before that frame is painted
  let shown = null
  if (canvas.clientWidth && canvas.clientHeight) showNow()
  else {
    shown = new ResizeObserver(() => {
      if (!canvas.clientWidth || !canvas.clientHeight || graph.disposed) return
      shown.disconnect()
      graph.resize(canvas.clientWidth, canvas.clientHeight) // (X6 may learn its size a callback later)
      showNow()
    })
    shown.observe(canvas)
  }
  graph.fastflowDispose = () => {
    shown?.disconnect()
    stopRerouting()
    flushStatus(graph, true)
    palette?.dispose()
    minimap?.dispose()
    lazy?.dispose()
    graph.dispose()
    for (const el of [stage, mini, bar, details, container.querySelector(':scope > .ff-label-editor')]) el?.remove()
    container.classList.remove('fastflow-host', 'ff-theme-light', 'ff-theme-dark', 'ff-with-toolbar')
  }
  return graph
}
