// Edges go round the nodes in their way (X6's manhattan router) when they are drawn, and X6 draws an edge again
// when one of its own ends moves. A node moved onto an edge it does not connect left that edge behind it (reading
// as if it ran through the node), and a node moved away left the detour an edge had made round it. So once nodes
// stop moving, the edges whose path crosses where a moved node was, or is now, are routed again.

/** Whether the segment from `p` to `q` crosses the box `r` ({x, y, width, height}): Liang-Barsky clipping */
export function segmentCrosses(p, q, r) {
  const dx = q.x - p.x, dy = q.y - p.y
  let t0 = 0, t1 = 1
  for (const [d, gap] of [[-dx, p.x - r.x], [dx, r.x + r.width - p.x], [-dy, p.y - r.y], [dy, r.y + r.height - p.y]]) {
    if (d === 0) { if (gap < 0) return false; continue }
    const t = gap / d
    if (d < 0) { if (t > t1) return false; if (t > t0) t0 = t }
    else { if (t < t0) return false; if (t < t1) t1 = t }
  }
  return true
}

/** Whether the drawn path of edge view `view` crosses any of `boxes` */
export function pathCrosses(view, boxes) {
  const pts = [view.sourcePoint, ...(view.routePoints || []), view.targetPoint]
  if (pts.some((p) => !p)) return false
  for (let i = 1; i < pts.length; i += 1) for (const b of boxes) if (segmentCrosses(pts[i - 1], pts[i], b)) return true
  return false
}

/** Route the edges of `graph` again where nodes moved across them, `wait` ms after the last move, while
 * `routesAround()` (edges avoid nodes: small graphs). A detour keeps the router's padding (14) from a node, on its
 * grid (10): `margin` is how near a node an edge counts as going round it. */
export function rerouteOnMoves(graph, routesAround, { margin = 25, wait = 80 } = {}) {
  let moves = new Map(), timer = 0, last = 0, active = null // node id -> [where it was before it moved, where it is]
  const box = (at, { width, height }) => ({ x: at.x - margin, y: at.y - margin, width: width + 2 * margin, height: height + 2 * margin })
  const flush = () => {
    const idle = performance.now() - last
    if (idle < wait) { timer = setTimeout(flush, wait - idle); return }
    const done = moves
    timer = 0
    moves = new Map()
    active = null
    if (graph.disposed || !done.size) return
    const boxes = [...done.values()].flat()
    for (const edge of graph.getEdges()) {
      if (done.has(edge.getSourceCellId()) || done.has(edge.getTargetCellId())) continue // X6 draws those again itself
      const view = graph.findViewByCell(edge)
      if (view && pathCrosses(view, boxes)) graph.renderer.requestViewUpdate(view, view.getFlag('update'), {})
    }
  }
  const onMove = ({ node, previous, current }) => {
    last = performance.now()
    if (!timer) timer = setTimeout(flush, wait)
    if ((active ??= routesAround()) === false || !previous || !current) return // (asked once a batch of moves: a big graph's layout moves every node)
    const size = node.getSize()
    moves.set(node.id, [moves.get(node.id)?.[0] || box(previous, size), box(current, size)])
  }
  graph.on('node:change:position', onMove)
  return () => { clearTimeout(timer); graph.off('node:change:position', onMove) }
}
