// The minimap: the whole graph drawn small on a <canvas> (a rect per node, in its status colour),
// with the part the canvas shows outlined. Click or drag in it to move there. A canvas keeps it
// cheap at any size: 10,000 nodes redraw in a few milliseconds, and no X6 view is made per node.

import { STATUS_LOOK } from './node.js'

const IDLE = '#94a3b8'

/** The box around all nodes of `graph` (local coordinates), or null; cheaper than X6's, which routes every edge. */
export function nodesBBox(graph) {
  const nodes = graph.getNodes()
  if (!nodes.length) return null
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
  for (const n of nodes) {
    const { x, y } = n.getPosition()
    const { width: w, height: h } = n.getSize()
    if (x < x0) x0 = x
    if (y < y0) y0 = y
    if (x + w > x1) x1 = x + w
    if (y + h > y1) y1 = y + h
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/** Add a minimap to `graph` in element `el` (width x height CSS pixels); returns `{redraw, dispose}`. */
export function addMinimap(graph, el, { width = 180, height = 120, padding = 8 } = {}) {
  const doc = el.ownerDocument
  const ratio = doc.defaultView?.devicePixelRatio || 1
  const canvas = doc.createElement('canvas')
  canvas.className = 'ff-minimap-canvas'
  canvas.width = width * ratio
  canvas.height = height * ratio
  canvas.style.width = `${width}px`
  canvas.style.height = `${height}px`
  const view = doc.createElement('div')
  view.className = 'ff-minimap-viewport'
  el.style.width = `${width}px`
  el.style.height = `${height}px`
  el.append(canvas, view)
  const ctx = canvas.getContext('2d')
  let box = null // the graph's bounding box (local coordinates), and the map's scale and offset
  let k = 1, ox = 0, oy = 0

  function measure() {
    box = nodesBBox(graph)
    if (!box) return
    k = Math.min((width - 2 * padding) / Math.max(1, box.width), (height - 2 * padding) / Math.max(1, box.height))
    ox = (width - box.width * k) / 2 - box.x * k
    oy = (height - box.height * k) / 2 - box.y * k
  }

  function drawNodes() {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    ctx.clearRect(0, 0, width, height)
    if (!box) return
    const byColor = new Map()
    for (const n of graph.getNodes()) {
      const status = n.getData()?.status
      const color = status && status !== 'pending' && STATUS_LOOK[status] ? STATUS_LOOK[status].color : IDLE
      let list = byColor.get(color)
      if (!list) byColor.set(color, (list = []))
      list.push(n)
    }
    for (const [color, list] of byColor) {
      ctx.fillStyle = color
      ctx.beginPath()
      for (const n of list) {
        const { x, y } = n.getPosition()
        const { width: w, height: h } = n.getSize()
        ctx.rect(ox + x * k, oy + y * k, Math.max(1.5, w * k), Math.max(2, h * k))
      }
      ctx.fill()
    }
  }

  function drawView() {
    if (!box) return (view.style.display = 'none')
    const a = graph.getGraphArea()
    const left = Math.max(0, ox + a.x * k), top = Math.max(0, oy + a.y * k)
    const right = Math.min(width, ox + (a.x + a.width) * k), bottom = Math.min(height, oy + (a.y + a.height) * k)
    Object.assign(view.style, { display: 'block', left: `${left}px`, top: `${top}px`, width: `${Math.max(2, right - left)}px`, height: `${Math.max(2, bottom - top)}px` })
  }

  let frame = 0, full = false
  const later = (all) => {
    full ||= all
    if (!frame) frame = requestAnimationFrame(() => {
      frame = 0
      if (full) { measure(); drawNodes() }
      full = false
      drawView()
    })
  }
  const redraw = () => later(true)
  const moved = () => later(false)
  const MODEL = ['model:reseted', 'cell:added', 'cell:removed', 'node:change:position', 'node:change:size', 'node:change:data', 'fastflow:status']
  const VIEW = ['scale', 'translate', 'resize']
  for (const ev of MODEL) graph.on(ev, redraw)
  for (const ev of VIEW) graph.on(ev, moved)

  // click or drag: centre the canvas there
  const go = (e) => {
    if (!box) return
    const r = canvas.getBoundingClientRect()
    graph.centerPoint((e.clientX - r.left - ox) / k, (e.clientY - r.top - oy) / k)
  }
  const onDown = (e) => {
    e.preventDefault()
    go(e)
    const move = (m) => go(m)
    const up = () => { doc.removeEventListener('mousemove', move); doc.removeEventListener('mouseup', up) }
    doc.addEventListener('mousemove', move)
    doc.addEventListener('mouseup', up)
  }
  el.addEventListener('mousedown', onDown)
  redraw()
  return {
    redraw,
    dispose() {
      cancelAnimationFrame(frame)
      for (const ev of MODEL) graph.off(ev, redraw)
      for (const ev of VIEW) graph.off(ev, moved)
      el.removeEventListener('mousedown', onDown)
      canvas.remove()
      view.remove()
    },
  }
}
