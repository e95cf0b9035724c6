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
//       "connectRules": {"input": ["transform", "output"]},  // nodeType -> allowed target nodeTypes
//       "edgeColor": "#94a3b8", "background": "#fafbfc",
//       "palette": [{"id": "llm", "label": "LLM", "nodeType": "llm", "icon": "🧠"}]  // see palette.js
//     }
//   }

import { Graph, NodeView, Selection, History, Keyboard, Clipboard, Snapline, MiniMap } from '@antv/x6'
import { NODE_SHAPE, STATUS_LOOK, STATUSES, nodeHtml, nodeMetadata, registerNodeShape, escapeHtml } from './node.js'
import { addPalette, addFromPalette, freshId } from './palette.js'
import { enableRename, renameNode, editLabel } from './rename.js'
import CSS from './fastflow.css'

export { STATUSES, STATUS_LOOK, nodeHtml, escapeHtml, addFromPalette, freshId, renameNode, editLabel }
export const EDGE_COLOR = '#94a3b8'
const STATUS_OPT = { ffStatus: true }

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
const edgeColor = (edge) => edge.getData()?.color || EDGE_COLOR

/** How an edge looks, before any status: its colour, an arrow head, an optional label. */
function edgeLook(color, label = null, data = {}, direction = 'H') {
  return {
    shape: 'edge',
    connector: { name: 'smooth', args: { direction } },
    zIndex: 0,
    attrs: { line: { stroke: color, strokeWidth: 2, targetMarker: { name: 'block', width: 8, height: 6 } } },
    labels: label ? [String(label)] : [],
    data: { ...data, color, label, status: 'pending' },
  }
}

const terminal = (id, port) => (port ? { cell: String(id), port: String(port) } : { cell: String(id) })

function edgeMetadata(graph, spec, defaultColor = EDGE_COLOR) {
  const src = graph.getCellById(String(spec.source))
  const sourcePort = spec.sourcePort ?? firstPort(src, 'out')
  const side = src?.getData()?.portPositions?.outputs
  const direction = side === 'top' || side === 'bottom' ? 'V' : 'H'
  const targetPort = spec.targetPort ?? firstPort(graph.getCellById(String(spec.target)), 'in')
  return {
    ...(spec.id ? { id: String(spec.id) } : {}),
    ...edgeLook(spec.color || defaultColor, spec.label ?? null, spec.data || {}, direction),
    source: terminal(spec.source, sourcePort),
    target: terminal(spec.target, targetPort),
  }
}

/** Find the edge from `sourceId` to `targetId` (first one), or null. */
export function findEdge(graph, sourceId, targetId) {
  const src = graph.getCellById(String(sourceId))
  if (!src) return null
  return graph.getOutgoingEdges(src)?.find((e) => e.getTargetCellId() === String(targetId)) || null
}

// ---------------------------------------------------------------- status

/** Show `status` on a node; `info` may carry `message` and `elapsed` (seconds). */
export function setNodeStatus(graph, nodeId, status, info = {}) {
  const node = graph.getCellById(String(nodeId))
  if (!node || !node.isNode()) return false
  const { message = null, elapsed = null } = info || {}
  const data = { ...node.getData(), status, message, elapsed }
  node.setData(data, { ...STATUS_OPT, overwrite: true })
  node.attr('foBody/html', nodeHtml(data), STATUS_OPT)
  node.attr('body/stroke', status === 'error' ? STATUS_LOOK.error.color : '#e2e8f0', STATUS_OPT)
  return true
}

/** Show `status` on the edge sourceId -> targetId, with the `ant-line` animation if `animated`. */
export function setEdgeStatus(graph, sourceId, targetId, status, animated = false) {
  const edge = findEdge(graph, sourceId, targetId)
  if (!edge) return false
  applyEdgeStatus(edge, status, animated)
  return true
}

function applyEdgeStatus(edge, status, animated) {
  const look = STATUS_LOOK[status]
  const color = status === 'pending' || !look ? edgeColor(edge) : look.color
  edge.setData({ status, animated: !!animated }, STATUS_OPT)
  edge.attr(
    {
      line: {
        stroke: color,
        strokeDasharray: animated ? '5 5' : status === 'skipped' || status === 'cancelled' ? '2 4' : null,
        style: { animation: animated ? 'ant-line 30s infinite linear' : null },
      },
    },
    STATUS_OPT,
  )
}

/** Every node back to pending, every edge back to its own colour, no animation. */
export function resetAllStatus(graph) {
  flushStatus(graph, true)
  graph.startBatch('ff-status')
  for (const node of graph.getNodes()) if (node.shape === NODE_SHAPE) setNodeStatus(graph, node.id, 'pending')
  for (const edge of graph.getEdges()) applyEdgeStatus(edge, 'pending', false)
  graph.stopBatch('ff-status')
}

// Status events can arrive far faster than the screen refreshes: queue them per graph,
// keep only the latest state per node / edge, and apply them once per animation frame.
const queues = new WeakMap()

/** Queue one protocol event (`nodeStatus` / `edgeStatus` data) to be drawn on the next frame. */
export function queueStatus(graph, kind, data) {
  let q = queues.get(graph)
  if (!q) queues.set(graph, (q = { nodes: new Map(), edges: new Map(), frame: 0 }))
  if (kind === 'nodeStatus') q.nodes.set(String(data.nodeId), data)
  else if (kind === 'edgeStatus') q.edges.set(`${data.sourceId}\u0000${data.targetId}`, data)
  else return
  if (!q.frame) q.frame = requestAnimationFrame(() => flushStatus(graph))
}

/** Apply queued status events now. */
export function flushStatus(graph, dropOnly = false) {
  const q = queues.get(graph)
  if (!q) return 0
  if (q.frame) cancelAnimationFrame(q.frame)
  q.frame = 0
  const nodes = [...q.nodes.values()]
  const edges = [...q.edges.values()]
  q.nodes.clear()
  q.edges.clear()
  if (dropOnly || graph.disposed) return 0
  graph.startBatch('ff-status')
  for (const d of nodes) setNodeStatus(graph, d.nodeId, d.status, d)
  for (const d of edges) setEdgeStatus(graph, d.sourceId, d.targetId, d.status, d.animated)
  graph.stopBatch('ff-status')
  return nodes.length + edges.length
}

// ---------------------------------------------------------------- export / import

/** The graph as a graph spec (same JSON format as the one it was built from). */
export function exportFlow(graph) {
  const nodes = graph.getNodes().map((node) => {
    const { x, y } = node.getPosition()
    const { width, height } = node.getSize()
    const { status, message, elapsed, label, nodeType, icon, inputs, outputs, portPositions, id, ...data } =
      node.getData() || {}
    const out = { id: node.id, x, y, width, height, label, nodeType, icon, inputs, outputs, portPositions }
    if (Object.keys(data).length) out.data = data
    return out
  })
  const edges = graph.getEdges().map((edge) => {
    const { color, label, status, animated, ...data } = edge.getData() || {}
    const out = {
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

/** Nodes without `x`/`y` get a place: a column per longest path from a source, stacked in rows. */
export function layoutNodes(spec, { left = 40, top = 40, dx = 240, dy = 80 } = {}) {
  const nodes = spec.nodes || []
  if (nodes.every((n) => n.x != null && n.y != null)) return nodes
  const preds = new Map(nodes.map((n) => [String(n.id), []]))
  for (const e of spec.edges || []) preds.get(String(e.target))?.push(String(e.source))
  const col = new Map()
  const depth = (id, seen = new Set()) => {
    if (col.has(id)) return col.get(id)
    if (seen.has(id)) return 0 // a cycle: stop climbing
    seen.add(id)
    const d = Math.max(-1, ...(preds.get(id) || []).filter((p) => preds.has(p)).map((p) => depth(p, seen))) + 1
    col.set(id, d)
    return d
  }
  const rows = new Map()
  return nodes.map((n) => {
    if (n.x != null && n.y != null) return n
    const c = depth(String(n.id))
    const r = rows.get(c) || 0
    rows.set(c, r + 1)
    return { ...n, x: n.x ?? left + c * dx, y: n.y ?? top + r * dy }
  })
}

/** Replace the graph's content by a graph spec (an object or its JSON text). */
export function importFlow(graph, flow) {
  const spec = typeof flow === 'string' ? JSON.parse(flow) : flow
  flushStatus(graph, true)
  graph.startBatch('ff-import')
  graph.clearCells()
  graph.addNodes(layoutNodes(spec).map(nodeMetadata))
  const color = graph.fastflowOptions?.edgeColor || EDGE_COLOR
  graph.addEdges((spec.edges || []).map((e) => edgeMetadata(graph, e, color)))
  graph.stopBatch('ff-import')
  return graph
}

/** Add one node (a node of a graph spec); returns the X6 node. */
export const addNode = (graph, spec) => graph.addNode(nodeMetadata(spec))

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
export function canConnect(graph, args) {
  let { sourceCell, targetCell, sourcePort, targetPort, edge } = args
  if (sourcePort && groupOf(sourceCell, sourcePort) === 'in' && groupOf(targetCell, targetPort) === 'out')
    [sourceCell, targetCell, sourcePort, targetPort] = [targetCell, sourceCell, targetPort, sourcePort]
  if (!sourceCell || !targetCell || !sourceCell.isNode() || !targetCell.isNode()) return false
  if (sourceCell === targetCell) return false
  if (sourcePort && groupOf(sourceCell, sourcePort) !== 'out') return false
  if (!targetPort || groupOf(targetCell, targetPort) !== 'in') return false
  const rules = graph.fastflowOptions?.connectRules
  if (rules) {
    const allowed = rules[sourceCell.getData()?.nodeType]
    if (!allowed || !allowed.includes(targetCell.getData()?.nodeType)) return false
  }
  const dup = graph
    .getOutgoingEdges(sourceCell)
    ?.some((e) => e !== edge && e.getTargetCellId() === targetCell.id && e.getTargetPortId() === targetPort && e.getSourcePortId() === sourcePort)
  if (dup) return false
  return !reaches(graph, targetCell.id, sourceCell.id, edge) // the edge being drawn is not a path yet
}

/** An edge drawn from an input port to an output port is turned round (in the same undo step). */
function turnRound({ edge }) {
  const source = edge.getSource()
  if (groupOf(edge.getSourceCell(), source.port) !== 'in') return
  const target = edge.getTarget()
  edge.setSource(target)
  edge.setTarget(source)
}

function bindKeys(graph) {
  const kb = graph.getPlugin('keyboard')
  const history = graph.getPlugin('history')
  const clip = graph.getPlugin('clipboard')
  const sel = graph.getPlugin('selection')
  const selected = () => sel.getSelectedCells()
  const stop = (f) => (e) => {
    f()
    e?.preventDefault?.()
    return false
  }
  kb.bindKey(['meta+z', 'ctrl+z'], stop(() => history.canUndo() && history.undo()))
  kb.bindKey(['meta+shift+z', 'ctrl+shift+z', 'ctrl+y'], stop(() => history.canRedo() && history.redo()))
  kb.bindKey(['meta+c', 'ctrl+c'], stop(() => selected().length && clip.copy(selected())))
  kb.bindKey(['meta+x', 'ctrl+x'], stop(() => selected().length && clip.cut(selected())))
  kb.bindKey(['meta+v', 'ctrl+v'], stop(() => {
    if (clip.isEmpty()) return
    sel.clean()
    sel.select(clip.paste({ offset: 32 }))
  }))
  kb.bindKey(['meta+a', 'ctrl+a'], stop(() => sel.select(graph.getCells())))
  kb.bindKey(['backspace', 'delete'], stop(() => selected().length && graph.removeCells(selected())))
  kb.bindKey(['meta+=', 'ctrl+=', '+'], stop(() => graph.zoom(0.1)))
  kb.bindKey(['meta+-', 'ctrl+-', '-'], stop(() => graph.zoom(-0.1)))
  kb.bindKey(['meta+0', 'ctrl+0', '0'], stop(() => fit(graph)))
  kb.bindKey('escape', stop(() => sel.clean()))
}

/** Zoom and centre so the whole graph shows (never zooming in past 100%). */
export function fit(graph) {
  if (graph.getCellCount()) graph.zoomToFit({ padding: 40, maxScale: 1 })
}

const TOOLBAR = [
  ['zoom-in', '+', 'Zoom in (Ctrl +)', (g) => g.zoom(0.1)],
  ['zoom-out', '−', 'Zoom out (Ctrl -)', (g) => g.zoom(-0.1)],
  ['fit', '⤢', 'Fit to view (Ctrl 0)', (g) => fit(g)],
  ['undo', '↶', 'Undo (Ctrl Z)', (g) => g.getPlugin('history')?.undo(), true],
  ['redo', '↷', 'Redo (Ctrl Shift Z)', (g) => g.getPlugin('history')?.redo(), true],
  ['delete', '🗑', 'Delete selection (Del)', (g) => g.removeCells(g.getPlugin('selection')?.getSelectedCells() || []), true],
]

function addToolbar(graph, host, readOnly) {
  const bar = host.ownerDocument.createElement('div')
  bar.className = 'ff-toolbar'
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

// ---------------------------------------------------------------- minimap

/** How the minimap draws a node: a plain rect in its status colour (cheap for big graphs). */
class MiniNodeView extends NodeView {
  renderMarkup() {
    return this.renderJSONMarkup({ tagName: 'rect', selector: 'body' })
  }
  update() {
    const status = this.cell.getData()?.status
    const fill = status && status !== 'pending' && STATUS_LOOK[status] ? STATUS_LOOK[status].color : '#cbd5e1'
    super.update({ body: { refWidth: '100%', refHeight: '100%', rx: 6, ry: 6, fill } })
  }
  renderPorts() {}
}
const miniView = (cell) => (cell.isEdge() ? null : MiniNodeView)

// ---------------------------------------------------------------- createGraph

/**
 * Build an X6 graph in `container` from a graph spec. `opts` override `spec.options`.
 * The container is filled (it should have a size); the graph follows its size.
 * Returns the X6 `Graph`, with `graph.fastflowId`, and `graph.fastflowDispose()` to tear it down.
 */
export function createGraph(container, spec = {}, opts = {}) {
  const options = { minimap: true, toolbar: true, grid: true, fit: 'auto', readOnly: false, ...(spec.options || {}), ...opts }
  const doc = container.ownerDocument || document
  injectStyles(doc)
  registerNodeShape(Graph)
  container.classList.add('fastflow-host')
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
  graph = new Graph({
    container: canvas,
    autoResize: stage,
    background: { color: options.background || '#fafbfc' },
    grid: options.grid ? { visible: true, size: 10, type: 'dot', args: { color: '#cbd5e1', thickness: 1 } } : false,
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
      connector: { name: 'smooth' },
      createEdge: () => graph.createEdge(edgeLook(options.edgeColor || EDGE_COLOR)),
      validateConnection: (args) => canConnect(graph, args),
    },
    highlighting: {
      magnetAvailable: { name: 'className', args: { className: 'ff-port-available' } },
      magnetAdsorbed: { name: 'className', args: { className: 'ff-port-adsorbed' } },
    },
  })
  graph.fastflowId = spec.id ?? null
  graph.fastflowOptions = options
  graph.use(new Selection({ enabled: true, multiple: true, rubberband: !readOnly, modifiers: ['shift'], showNodeSelectionBox: true, movable: !readOnly, pointerEvents: 'none' }))
  graph.use(new Snapline({ enabled: !readOnly }))
  graph.use(
    new History({
      enabled: !readOnly,
      // status display is not an edit: moves, connections, adds, removes and renames are undone
      beforeAddCommand: (event, args) =>
        !(args?.options?.ffStatus || ((args?.key === 'attrs' || args?.key === 'data') && !args?.options?.ffEdit)),
    }),
  )
  graph.use(new Clipboard({ enabled: !readOnly }))
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
  if (!readOnly) {
    enableRename(graph, container)
    graph.on('edge:connected', turnRound)
  }
  importFlow(graph, spec)
  graph.getPlugin('history')?.clean()
  let mini = null
  if (options.minimap) {
    // added after the import (so it doesn't redraw once per node); edges are left out of it
    mini = doc.createElement('div')
    mini.className = 'ff-minimap'
    container.appendChild(mini)
    const graphOptions = { createCellView: miniView }
    graph.use(new MiniMap({ container: mini, width: 180, height: 120, padding: 8, scalable: false, graphOptions }))
  }
  if (mini) {
    // the minimap only helps when the graph does not fit: hide it otherwise
    let pending = 0
    const update = () => {
      pending = 0
      const box = graph.getContentBBox()
      const view = graph.getGraphArea()
      const fits = !graph.getCellCount() || (view.containsRect ? view.containsRect(box) : true)
      mini.classList.toggle('ff-hidden', fits)
    }
    const later = () => { if (!pending) pending = requestAnimationFrame(update) }
    for (const ev of ['scale', 'translate', 'resize', 'cell:added', 'cell:removed', 'node:change:position', 'model:reseted'])
      graph.on(ev, later)
    later()
  }
  if (options.fit === true) fit(graph)
  else if (options.fit === 'auto') {
    const box = graph.getContentBBox()
    const { width, height } = container.getBoundingClientRect()
    if (box.x + box.width > width || box.y + box.height > height) fit(graph)
  }
  graph.fastflowDispose = () => {
    flushStatus(graph, true)
    palette?.dispose()
    graph.dispose()
    for (const el of [stage, mini, bar, container.querySelector(':scope > .ff-label-editor')]) el?.remove()
    container.classList.remove('fastflow-host')
  }
  return graph
}
