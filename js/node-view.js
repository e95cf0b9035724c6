// The X6 view of a fastflow node: X6's NodeView, drawing plain ports itself.
//
// A fastflow node's ports are plain circles: their attributes come from their group and item, and
// they have no label and no markup of their own. For each port X6 parses the port's markup twice
// (its container and its content), runs its generic attribute pipeline and builds an SVG matrix for
// its place, every time it draws the node: a third of the cost of drawing a node. This view makes
// the same elements (a `g.x6-port` holding a `circle.x6-port-body`) with the same attributes and
// fills the same port cache, so X6 finds, highlights and connects them as its own; a node with any
// other kind of port is drawn by X6.

import { NodeView, NumberExt, Rectangle } from '@antv/x6'
import { holdViewUpdates } from './layout.js'

export const NODE_VIEW = 'fastflow-node-view'
const SVG = 'http://www.w3.org/2000/svg'
// the circle's attributes a plain port may have, with the SVG attribute each one sets
const PLAIN = { r: 'r', fill: 'fill', stroke: 'stroke', strokeWidth: 'stroke-width', 'stroke-width': 'stroke-width', magnet: 'magnet', cursor: 'cursor' }

const plainMarkup = (m) => Array.isArray(m) && m.length === 1 && m[0].tagName === 'circle' && m[0].selector === 'circle' && Object.keys(m[0]).length === 2

/** Is `port` (one of X6's parsed ports) a plain circle this view can draw? */
export function isPlainPort(port) {
  const { attrs, position: pos } = port
  if (!plainMarkup(port.markup) || port.zIndex !== 'auto' || pos?.name !== 'absolute') return false
  if (typeof pos.args?.x !== 'number' || typeof pos.args?.y !== 'number' || pos.args.angle) return false
  for (const k in attrs) if (k !== 'circle') return false
  for (const k in attrs?.circle || {}) if (!(k in PLAIN) && k !== 'title') return false
  return true
}

function drawPort(port) {
  const g = document.createElementNS(SVG, 'g')
  g.setAttribute('class', `x6-port x6-port-${port.group}`)
  const circle = document.createElementNS(SVG, 'circle')
  const attrs = port.attrs?.circle || {}
  for (const k in attrs) {
    const v = attrs[k]
    if (v == null || k === 'title') continue
    circle.setAttribute(PLAIN[k], String(v))
  }
  if (attrs.title != null) {
    const title = document.createElementNS(SVG, 'title')
    title.textContent = String(attrs.title)
    circle.appendChild(title)
  }
  circle.setAttribute('port', port.id)
  circle.setAttribute('port-group', port.group)
  circle.setAttribute('class', 'x6-port-body')
  g.appendChild(circle)
  const selectors = { circle }
  return { portElement: g, portSelectors: selectors, portLabelElement: undefined, portLabelSelectors: undefined, portContentElement: circle, portContentSelectors: selectors }
}

// where a plain port sits on a node `width` x `height` (X6's absolute port layout: a number between
// 0 and 1 is a fraction of the side)
const portOffset = ({ x, y }, width, height) => [NumberExt.normalizePercentage(x, width), NumberExt.normalizePercentage(y, height)]

export class FastflowNodeView extends NodeView {
  renderPorts() {
    const ports = this.cell.getParsedPorts()
    this.plainPorts = !this.graph.options.onPortRendered && ports.every(isPlainPort)
    if (!this.plainPorts) return super.renderPorts()
    const { width, height } = this.cell.getSize()
    for (const port of ports) {
      const cached = (this.portsCache[port.id] ||= drawPort(port))
      const [x, y] = portOffset(port.position.args, width, height)
      cached.portElement.setAttribute('transform', `matrix(1,0,0,1,${x},${y})`)
      this.container.append(cached.portElement)
    }
    this.cleanCache()
    this.updateConnectedEdges()
  }

  /** The circle of a plain port this view drew, `elem`, in the graph: {x, y} its centre, `r` its radius,
   * `stroke` its stroke's width; from the node's model. Null for any other element. */
  plainPort(elem) {
    const id = this.plainPorts && elem?.tagName === 'circle' ? elem.getAttribute('port') : null
    const port = id != null && !this.cell.getAngle() ? this.cell.getParsedPorts().find((p) => p.id === id) : null
    const r = parseFloat(port?.attrs?.circle?.r)
    if (!(r > 0)) return null
    const { width, height } = this.cell.getSize(), at = this.cell.getPosition()
    const [x, y] = portOffset(port.position.args, width, height)
    const c = port.attrs.circle
    return { x: at.x + x, y: at.y + y, r, stroke: parseFloat(c.strokeWidth ?? c['stroke-width']) || 0 }
  }

  // X6 measures an element in the page (its box, its transforms) for each end and route of each
  // edge it draws: a plain port's box comes from the model
  getBBoxOfElement(elem) {
    const p = this.plainPort(elem)
    return p ? new Rectangle(p.x - p.r, p.y - p.r, 2 * p.r, 2 * p.r) : super.getBBoxOfElement(elem)
  }

  // dragged, the node moves, with it the rest of its selection, and snaps: each view is redrawn once a move
  onMouseMove(e, x, y) {
    if (this.getEventData(e)?.action !== 'move') return super.onMouseMove(e, x, y)
    return holdViewUpdates(this.graph, () => super.onMouseMove(e, x, y))
  }
}

/** Register the view with X6 (once per X6 copy); shapes name it as their `view`. */
export function registerNodeView(Graph) {
  Graph.registerView(NODE_VIEW, FastflowNodeView, true)
}
