// Views made when they are needed, for big graphs.
//
// X6's virtual rendering draws only the cells in view, but X6 still makes a view (an object and
// its SVG group) for every cell when a graph is mounted, and then works through a job per cell:
// on a 10,000-node graph that is most of the time to mount. Here X6 makes views only for cells
// near the view (its `createCellView` option answers null for the others), and the cells that
// come near the view later (the view moved, zoomed, resized, or the nodes moved) get theirs then.
// A cell with no view yet is drawn from its model when its view is made, so nothing is lost.
//
// "Near the view" is the visible area and a margin; an edge is near when the box around its two
// nodes is; a node is also near when one of its edges is (an edge is drawn between two views).

const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** Make a graph's views lazily (see above): pass `createCellView` to X6's Graph options, then `attach(graph)`. */
export function lazyViews(margin = 240) {
  let graph = null, area = null, boxes = null, ends_ = null, forcing = false, frame = 0

  // the area near the view, and node boxes, computed once per task
  const begin = () => {
    if (area) return
    const a = graph.getGraphArea()
    area = { x: a.x - margin, y: a.y - margin, width: a.width + 2 * margin, height: a.height + 2 * margin }
    boxes = new Map()
    ends_ = null
    queueMicrotask(() => { area = boxes = ends_ = null })
  }
  const box = (node) => {
    let b = boxes.get(node)
    if (!b) {
      const p = node.getPosition(), s = node.getSize()
      boxes.set(node, (b = { x: p.x, y: p.y, width: s.width, height: s.height }))
    }
    return b
  }
  // (by id: while X6 resets a graph, its new edges don't know their model yet)
  const ends = (edge) => [graph.getCellById(edge.getSourceCellId()), graph.getCellById(edge.getTargetCellId())]
  const edgeNear = (edge) => {
    const [s, t] = ends(edge)
    if (!s?.isNode?.() || !t?.isNode?.()) return true // an edge to a point or an edge: draw it
    const a = box(s), b = box(t)
    const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y)
    return overlap(area, { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y })
  }
  // the nodes at an end of an edge near the view (found once per task)
  const nearEnds = () => {
    if (ends_) return ends_
    ends_ = new Set()
    for (const e of graph.getEdges()) if (edgeNear(e)) { ends_.add(e.getSourceCellId()); ends_.add(e.getTargetCellId()) }
    return ends_
  }
  const near = (cell) => {
    if (cell.isEdge()) return edgeNear(cell)
    if (!cell.isNode()) return true
    return overlap(area, box(cell)) || nearEnds().has(cell.id)
  }

  // cells that came near the view and have no view yet get one (X6 draws those in view)
  const update = () => {
    frame = 0
    const schedule = graph?.renderer?.schedule
    if (!schedule || graph.disposed) return
    area = ends_ = null
    begin()
    const views = schedule.views
    const want = new Set()
    for (const e of graph.getEdges()) {
      if (views[e.id] || !edgeNear(e)) continue
      want.add(e)
      for (const c of ends(e)) if (c && !views[c.id]) want.add(c)
    }
    for (const n of graph.getNodes()) if (!views[n.id] && overlap(area, box(n))) want.add(n)
    if (!want.size) return
    // X6 updates its own area at most every 200 ms: update it now, so that the new views are drawn now
    Object.getPrototypeOf(graph.virtualRender)?.resetRenderArea?.call(graph.virtualRender)
    forcing = true
    try { schedule.renderViews([...want]) } finally { forcing = false }
  }
  const later = () => {
    area = ends_ = null // the view or the nodes moved
    if (!frame && graph && !graph.disposed) frame = requestAnimationFrame(update)
  }
  const EVENTS = ['translate', 'scale', 'resize', 'model:reseted', 'node:change:position', 'node:change:size', 'fastflow:layout']

  return {
    /** X6's `createCellView` option: null (no view for now) for a cell far from the view. */
    createCellView(cell) {
      if (!graph || forcing || !graph.virtualRender?.isVirtualEnabled?.()) return undefined
      begin()
      return near(cell) ? undefined : null
    },
    /** Make the views the view needs now (this is otherwise done on the next frame after a change). */
    update() {
      cancelAnimationFrame(frame)
      update()
    },
    attach(g) {
      graph = g
      for (const ev of EVENTS) graph.on(ev, later)
    },
    dispose() {
      cancelAnimationFrame(frame)
      if (graph) for (const ev of EVENTS) graph.off(ev, later)
      graph = null
    },
  }
}
