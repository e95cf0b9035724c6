// The palette: a side panel of node templates that people drag onto the canvas (or click, or
// press Enter on) to add a node. Drawn with the same code as the nodes themselves (node.js).
//
// A palette item (`options.palette` of a graph spec) is a node of a graph spec without a place:
//   {"id": "llm",                 // base of the new nodes' ids: llm-1, llm-2, ...
//    "label": "LLM", "nodeType": "llm", "icon": "🧠", "inputs": 1, "outputs": 1,
//    "portPositions": {...}, "width": ..., "height": ..., "data": {...},  // all optional
//    "group": "AI"}               // optional heading the item is listed under

import { Dnd } from '@antv/x6'
import { nodeData, nodeHtml, nodeMetadata, NODE_WIDTH, NODE_HEIGHT } from './node.js'
import { nodesBBox } from './minimap.js'

const PALETTE_ONLY = ['id', 'x', 'y', 'group', 'status']

/** An id no cell of `graph` has: `base-1`, `base-2`, ... */
export function freshId(graph, base = 'node') {
  const stem = String(base || 'node').replace(/\s+/g, '-')
  let n = 1
  while (graph.hasCell(`${stem}-${n}`)) n += 1
  return `${stem}-${n}`
}

/** The graph-spec node a palette item makes at (x, y), with a fresh id. */
export function paletteNode(graph, item, x = 0, y = 0) {
  const spec = Object.fromEntries(Object.entries(item).filter(([k]) => !PALETTE_ONLY.includes(k)))
  return { ...spec, id: freshId(graph, item.id ?? item.nodeType), x, y }
}

/** A free spot near the middle of what the canvas shows, for a node of size w x h. */
/** Where a new node of size `w` x `h` goes: the middle of the view, else (an editor not shown) beside the nodes; never
 * right on another node. */
export function middleSpot(graph, w, h) {
  const { x, y, width, height } = graph.container.getBoundingClientRect()
  let at
  if (width && height) {
    const c = graph.clientToLocal(x + width / 2, y + height / 2)
    at = { x: Math.round(c.x - w / 2), y: Math.round(c.y - h / 2) }
  } else { // an editor not shown (a hidden tab) has no middle: beside its nodes
    const box = nodesBBox(graph)
    at = box ? { x: Math.round(box.x + box.width + 40), y: Math.round(box.y) } : { x: 40, y: 40 }
  }
  const taken = (p) => graph.getNodes().some((n) => { const q = n.getPosition(); return Math.abs(q.x - p.x) < 8 && Math.abs(q.y - p.y) < 8 })
  for (let i = 0; i < 50 && taken(at); i++) at = { x: at.x + 24, y: at.y + 24 }
  return at
}

/** Add a node made from palette item `item` to the middle of the view, selected; returns it. */
export function addFromPalette(graph, item, at = null) {
  if (graph.fastflowOptions?.readOnly) return null
  const p = at || middleSpot(graph, item.width || NODE_WIDTH, item.height || NODE_HEIGHT)
  const node = graph.addNode(nodeMetadata(paletteNode(graph, item, p.x, p.y)))
  select(graph, node)
  return node
}

function select(graph, node) {
  graph.getPlugin('selection')?.reset([node], { batch: true })
  graph.container.focus({ preventScroll: true })
}

function itemButton(doc, item, i) {
  const b = doc.createElement('button')
  b.type = 'button'
  b.className = 'ff-palette-item'
  b.dataset.index = String(i)
  b.dataset.nodeType = item.nodeType || 'default'
  b.title = `${item.label ?? item.id ?? item.nodeType}: drag onto the canvas, or click to add`
  const data = { ...nodeData({ ...item, id: item.id ?? item.nodeType ?? 'node' }), status: 'pending' }
  b.dataset.shape = data.shape || 'card' // (the button takes the node's outline: fastflow.css)
  b.innerHTML = nodeHtml(data)
  return b
}

function heading(doc, text) {
  const h = doc.createElement('div')
  h.className = 'ff-palette-group'
  h.textContent = text
  return h
}

/** The palette's element: a title, then one button per item (under headings if items have a `group`). */
function paletteElement(doc, items) {
  const panel = doc.createElement('div')
  panel.className = 'ff-palette'
  panel.setAttribute('role', 'toolbar')
  panel.setAttribute('aria-orientation', 'vertical')
  panel.setAttribute('aria-label', 'Node palette')
  panel.appendChild(heading(doc, 'Nodes')).classList.add('ff-palette-title')
  let group
  items.forEach((item, i) => {
    if ((item.group ?? null) !== (group ?? null) && item.group != null) panel.appendChild(heading(doc, item.group))
    group = item.group
    panel.appendChild(itemButton(doc, item, i))
  })
  return panel
}

/**
 * Show a palette of `items` at the left of `host` and let people drag them onto `graph`.
 * Returns `{el, dnd, dispose}`.
 */
export function addPalette(graph, host, items) {
  const doc = host.ownerDocument
  const el = paletteElement(doc, items)
  host.appendChild(el)
  let dropped = null
  const dnd = new Dnd({
    target: graph,
    scaled: true,
    draggingContainer: doc.body,
    dndContainer: el,
    getDragNode: (source) => source.clone(),
    getDropNode: (dragging, { sourceNode }) =>
      (dropped = graph.createNode(nodeMetadata(paletteNode(graph, sourceNode.getData().paletteItem)))),
    validateNode: () => !graph.fastflowOptions?.readOnly,
  })
  const itemAt = (target) => items[Number(target.closest('.ff-palette-item')?.dataset.index)]
  const onDown = (e) => {
    const item = e.button === 0 && itemAt(e.target)
    if (!item || graph.fastflowOptions?.readOnly) return
    const template = graph.createNode(nodeMetadata({ ...paletteNode(graph, item), data: { ...(item.data || {}), paletteItem: item } }))
    const start = { x: e.clientX, y: e.clientY }
    dropped = null
    dnd.start(template, e)
    // a click (no drag) adds the node in the middle of the view
    doc.addEventListener('mouseup', (up) => {
      const still = Math.hypot(up.clientX - start.x, up.clientY - start.y) < 4
      if (dropped?.model) select(graph, dropped)
      else if (still) addFromPalette(graph, item)
    }, { once: true })
  }
  const onClick = (e) => {
    const item = e.detail === 0 && itemAt(e.target) // Enter / Space on a focused item
    if (item) addFromPalette(graph, item)
  }
  el.addEventListener('mousedown', onDown)
  el.addEventListener('click', onClick)
  return {
    el,
    dnd,
    dispose() {
      dnd.dispose()
      el.remove()
    },
  }
}
