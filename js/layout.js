// Layered layout for graphs without positions, and "tidy up" on demand.
//
// Small graphs (up to ELK_MAX nodes) are laid out by ELK's layered algorithm (elkjs; it runs in the
// page, no worker is fetched; the page bundle loads it only when a layout needs it, see elk-lazy.js). ELK is asynchronous and takes a while on big graphs, so
// every graph first gets a quick layered layout computed here (longest-path layers, nodes ordered
// in each layer by the mean place of their predecessors), which is also the layout of big graphs.

import { getELK } from './elk.js'

export const ELK_MAX = 400
const GAP = { LR: { layer: 70, node: 28 }, TB: { layer: 60, node: 36 } }

let elk = null

/** `direction` as 'LR' or 'TB' (also accepts RIGHT / DOWN). */
export function normDirection(direction) {
  const d = String(direction || 'LR').toUpperCase()
  if (d === 'LR' || d === 'RIGHT') return 'LR'
  if (d === 'TB' || d === 'DOWN') return 'TB'
  throw new Error(`fastflow: layout direction must be 'LR' or 'TB', not ${JSON.stringify(direction)}`)
}

/**
 * Positions for `nodes` (`{id, width, height}`) joined by `edges` (`{source, target}`):
 * a Map id -> {x, y}, in layers left to right (LR) or top to bottom (TB). Runs in linear time.
 */
export function quickLayout(nodes, edges, { direction = 'LR', left = 40, top = 40 } = {}) {
  const dir = normDirection(direction)
  const ids = nodes.map((n) => String(n.id))
  const index = new Map(ids.map((id, i) => [id, i]))
  const succ = ids.map(() => [])
  const preds = ids.map(() => [])
  const indeg = new Int32Array(ids.length)
  for (const e of edges) {
    const s = index.get(String(e.source))
    const t = index.get(String(e.target))
    if (s == null || t == null || s === t) continue
    succ[s].push(t)
    preds[t].push(s)
    indeg[t]++
  }
  // longest-path layering in topological order (Kahn); nodes on a cycle go after their layer's rest
  const layer = new Int32Array(ids.length)
  const queue = []
  for (let i = 0; i < ids.length; i++) if (!indeg[i]) queue.push(i)
  const placed = new Uint8Array(ids.length)
  for (let k = 0; k < queue.length; k++) {
    const i = queue[k]
    placed[i] = 1
    for (const t of succ[i]) {
      layer[t] = Math.max(layer[t], layer[i] + 1)
      if (--indeg[t] === 0) queue.push(t)
    }
  }
  for (let i = 0; i < ids.length; i++) if (!placed[i]) { queue.push(i); layer[i] = Math.max(layer[i], ...preds[i].filter((p) => placed[p]).map((p) => layer[p] + 1), 0) }
  const layers = []
  for (const i of queue) (layers[layer[i]] ||= []).push(i)
  // order each layer by the mean rank of its predecessors (one sweep from the first layer)
  const rank = new Float64Array(ids.length)
  for (const L of layers) {
    if (!L) continue
    const key = L.map((i, k) => {
      const ps = preds[i]
      return ps.length ? ps.reduce((a, p) => a + rank[p], 0) / ps.length : k - L.length
    })
    const order = L.map((_, k) => k).sort((a, b) => key[a] - key[b] || a - b)
    order.forEach((k, r) => { rank[L[k]] = r })
    L.splice(0, L.length, ...order.map((k) => L[k]))
  }
  // coordinates: a layer is as thick as its thickest node; nodes are centred on the layer's axis
  const size = nodes.map((n) => [n.width || 180, n.height || 48])
  const along = dir === 'LR' ? 0 : 1
  const gap = GAP[dir]
  const out = new Map()
  let pos = dir === 'LR' ? left : top
  const extent = layers.map((L) => (L || []).reduce((a, i) => a + size[i][1 - along] + gap.node, -gap.node))
  const widest = Math.max(0, ...extent)
  layers.forEach((L, li) => {
    if (!L) return
    const thick = Math.max(...L.map((i) => size[i][along]))
    let across = (dir === 'LR' ? top : left) + (widest - extent[li]) / 2
    for (const i of L) {
      const [w, h] = size[i]
      const a = pos + (thick - size[i][along]) / 2
      out.set(ids[i], dir === 'LR' ? { x: a, y: across } : { x: across, y: a })
      across += (dir === 'LR' ? h : w) + gap.node
    }
    pos += thick + gap.layer
  })
  return out
}

/** Start ELK now (its worker: see elk-run.js), for a layout to come. */
export function warmELK() {
  ;(elk ||= new (getELK())()).warm().catch(() => {})
}

/** Positions from ELK's layered layout (a promise of a Map id -> {x, y}). */
export async function elkLayout(nodes, edges, { direction = 'LR', left = 40, top = 40 } = {}) {
  const dir = normDirection(direction)
  elk ||= new (getELK())()
  const known = new Set(nodes.map((n) => String(n.id)))
  const gap = GAP[dir]
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': dir === 'LR' ? 'RIGHT' : 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': String(gap.node),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(gap.layer),
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': String(gap.layer),
    },
    // ports where the node draws them, so that branches leave in their order (FIXED_POS)
    children: nodes.map((n) => ({
      id: String(n.id), width: n.width || 180, height: n.height || 48,
      ...(n.ports?.length ? {
        ports: n.ports.map((p) => ({ id: `${n.id}\u0000${p.id}`, x: p.x, y: p.y, width: 0, height: 0 })),
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      } : {}),
    })),
    edges: edges
      .filter((e) => known.has(String(e.source)) && known.has(String(e.target)) && String(e.source) !== String(e.target))
      .map((e, i) => ({
        id: `e${i}`,
        sources: [e.sourcePort != null ? `${e.source}\u0000${e.sourcePort}` : String(e.source)],
        targets: [e.targetPort != null ? `${e.target}\u0000${e.targetPort}` : String(e.target)],
      })),
  })
  return new Map(res.children.map((c) => [c.id, { x: Math.round(c.x + left), y: Math.round(c.y + top) }]))
}

/** The nodes (with their ports' places) and edges of an X6 graph, as layout input. */
export function layoutInput(graph) {
  const nodes = graph.getNodes().map((n) => {
    const ports = Object.entries(n.getPortsPosition?.('in') || {}).concat(Object.entries(n.getPortsPosition?.('out') || {}))
    return { id: n.id, ...n.getSize(), ports: ports.map(([id, p]) => ({ id, x: p.position.x, y: p.position.y })) }
  })
  const edges = graph.getEdges()
    .map((e) => ({ source: e.getSourceCellId(), target: e.getTargetCellId(), sourcePort: e.getSourcePortId(), targetPort: e.getTargetPortId() }))
    .filter((e) => e.source && e.target)
  return { nodes, edges }
}

/**
 * Run `fn` with the view updates of `graph` held: X6 redraws a moved node, and its edges, at once,
 * so moving many nodes would redraw an edge once for each of its nodes. Held, each view is
 * redrawn once, when `fn` is done (see the queueJob patch in build.mjs).
 */
export function holdViewUpdates(graph, fn) {
  const queue = graph.renderer?.schedule?.queue
  if (!queue || queue.held) return fn()
  const held = (queue.held = new Map())
  try { return fn() } finally {
    queue.held = null
    for (const update of held.values()) update()
  }
}

/** Move the nodes of `graph` to `positions` (one batch; `undoable` makes it one undo step). */
export function applyPositions(graph, positions, undoable = false) {
  const opt = undoable ? {} : { ffStatus: true }
  graph.startBatch(undoable ? 'ff-tidy' : 'ff-layout')
  holdViewUpdates(graph, () => { for (const [id, p] of positions) graph.getCellById(id)?.setPosition(p.x, p.y, opt) })
  graph.stopBatch(undoable ? 'ff-tidy' : 'ff-layout')
}
