// How a fastflow node looks: one module, used by the page bridge and the Jupyter widget alike.
//
// A node is an X6 node with an SVG outline (`body`: a card, a pill, a diamond, a parallelogram or a
// table) under a foreignObject whose XHTML <body> has the selector `foBody`. Everything inside the
// outline (icon, label, a sub line, status symbol) is the HTML of `foBody`, so a page can redraw it
// itself with `node.attr('foBody/html', html)`, as the tutorial does.
//
// A node's look comes from its type (TYPE_LOOKS, or `registerLook` / a graph's `options.looks`),
// overridden by its own `color`, `icon`, `shape` and `html` (a template: `{{label}}`, `{{icon}}`,
// `{{sub}}`, `{{status}}` and any data key, each inserted as text). A table node draws
// `data.columns` ([{name, type, key: 'PK' | 'FK' | ...}]) with one port per column on each side.

import { connectionPointRegistry } from '@antv/x6'
import TYPES from './type-looks.json'
import { NODE_VIEW, registerNodeView } from './node-view.js'

export const NODE_SHAPE = 'fastflow-node'
export const NODE_WIDTH = 180
export const NODE_HEIGHT = 48

// The look of each status of the event protocol (fastflow.core.STATUSES).
export const STATUS_LOOK = {
  pending: { color: '#d9d9d9', symbol: '' },
  running: { color: '#1890ff', symbol: '↻' },
  success: { color: '#52c41a', symbol: '✓' },
  error: { color: '#ff4d4f', symbol: '✕' },
  skipped: { color: '#faad14', symbol: '⤼' },
  cancelled: { color: '#8c8c8c', symbol: '⊘' },
  cached: { color: '#13c2c2', symbol: '≡' },
}
export const STATUSES = Object.keys(STATUS_LOOK)

// The X6 shape for each outline; `card`, `pill` and `table` are rects, the others polygons.
export const SHAPES = {
  card: NODE_SHAPE,
  pill: NODE_SHAPE,
  table: NODE_SHAPE,
  diamond: 'fastflow-diamond',
  parallelogram: 'fastflow-parallelogram',
}
const X6_SHAPES = new Set(Object.values(SHAPES))
/** Is `cell` a node drawn by fastflow? */
export const isFastflowNode = (cell) => X6_SHAPES.has(cell.shape)

// Default size per outline (a node's own width / height win).
const SIZES = { card: [180, 48], pill: [170, 44], diamond: [170, 96], parallelogram: [190, 48], table: [220, 0] }
const SLANT = 14 // how far a parallelogram leans, in px

/** A colour and an icon per node type (the types of fastflow.types), and a shape where one is
 * conventional. Python reads the same file (fastflow.components.TYPE_LOOKS). */
export const TYPE_LOOKS = TYPES
const looks = { ...TYPE_LOOKS }

/** Set the look of node type `nodeType` (`{color, icon, shape, html, width, height}`) on this page. */
export function registerLook(nodeType, look) {
  if (!look || typeof look !== 'object') throw new Error(`fastflow: the look of node type ${JSON.stringify(nodeType)} must be an object`)
  if (look.shape != null && !SHAPES[look.shape])
    throw new Error(`fastflow: node type ${JSON.stringify(nodeType)} has unknown shape ${JSON.stringify(look.shape)}; one of ${Object.keys(SHAPES).join(', ')}`)
  if (look.color != null && !isColor(look.color))
    throw new Error(`fastflow: node type ${JSON.stringify(nodeType)}: color ${JSON.stringify(String(look.color))} is not a CSS colour`)
  looks[nodeType] = { ...(looks[nodeType] || {}), ...look }
  return looks[nodeType]
}

/** The look of a node type: `{color, icon, shape, ...}`. */
export const lookOf = (nodeType) => ({ shape: 'card', ...looks.default, ...(looks[nodeType] || {}) })

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Text as HTML that shows exactly that text. */
export const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c])

const statusLook = (status) => STATUS_LOOK[status] || STATUS_LOOK.pending

// what a colour may be written with where the page cannot ask the browser (CSS.supports): no
// `;`, `:`, quotes or braces, and no function that loads something
const COLOR_CHARS = /^[#\w\s(),.%/+-]+$/
const LOADS = /\b(url|image|image-set|cross-fade|element|expression)\s*\(/i
const colors = new Map()

/** Is `value` a CSS colour? Colours go into style attributes, where anything else could add CSS of
 * its own (a background image fetched from anywhere, say) to every page that draws the flow. */
export function isColor(value) {
  if (typeof value !== 'string' || !value.trim()) return false
  let ok = colors.get(value)
  if (ok === undefined) {
    ok = COLOR_CHARS.test(value) && !LOADS.test(value) && (typeof CSS === 'undefined' || !CSS.supports || CSS.supports('color', value))
    colors.set(value, ok)
  }
  return ok
}

/** `value` if it is a CSS colour, else `fallback` (with a warning naming `who` when there was a value). */
export function colorOr(value, fallback, who) {
  if (value == null || value === '') return fallback
  if (isColor(value)) return value
  console.warn(`fastflow: ${who}: color ${JSON.stringify(String(value))} is not a CSS colour; the default colour is used`)
  return fallback
}

/** The sub line under the label: the error message, the skip reason, or the elapsed time. */
export function subText(data) {
  if (data.message) return String(data.message)
  if (data.status === 'success' && typeof data.elapsed === 'number') return `${data.elapsed.toFixed(2)}s`
  if (data.status === 'running') return 'running…'
  return ''
}

/** `{{key}}` in `template` replaced by `values[key]` as text. */
export const fillTemplate = (template, values) =>
  String(template).replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, k) => escapeHtml(values[k] ?? ''))

const KEY_MARKS = { PK: '🔑', FK: '🔗' }

const colKeys = (col) => (Array.isArray(col.key) ? col.key : String(col.key ?? '').split(/[\s,]+/)).map((k) => String(k).toUpperCase()).filter(Boolean)

function tableRows(data) {
  const cols = (data.columns || []).map((c) => (typeof c === 'string' ? { name: c } : c))
  // a key: 'PK', 'FK', or both ('PK FK', 'PK,FK' or ['PK', 'FK']: a key column of a link table); the marks' column
  // is as wide as the most marks a column has, so that the names line up
  const keys = cols.map(colKeys)
  const room = Math.max(1, ...keys.map((k) => k.length)) * 16
  return cols
    .map((col, i) => {
      const mark = keys[i].map((k) => KEY_MARKS[k] ?? escapeHtml(k)).join('')
      return (
        `<div class="ff-col${keys[i].map((k) => ` ff-key-${escapeHtml(k.toLowerCase())}`).join('')}">` +
        `<span class="ff-col-key" style="width:${room}px" title="${escapeHtml(keys[i].join(' '))}">${mark}</span>` +
        `<span class="ff-col-name">${escapeHtml(col.name)}</span>` +
        `<span class="ff-col-type">${escapeHtml(col.type ?? '')}</span></div>`
      )
    })
    .join('')
}

/** The HTML drawn inside a node (the content of `foBody`) for its data. */
export function nodeHtml(data) {
  const status = STATUS_LOOK[data.status] ? data.status : 'pending'
  const { symbol } = statusLook(status)
  const look = lookOf(data.nodeType)
  const shape = data.shape || look.shape
  const color = isColor(data.color) ? data.color : look.color
  const icon = data.icon || look.icon
  const label = data.label ?? data.id
  const sub = subText({ ...data, status })
  const title = sub ? `${label} — ${sub}` : label
  const template = data.html ?? look.html
  const open =
    `<div class="ff-node ff-${status} ff-shape-${shape}" style="--ff-type:${escapeHtml(color)}" title="${escapeHtml(title)}">` +
    `<div class="ff-bar"></div>`
  const badge = symbol ? `<div class="ff-symbol"><span>${symbol}</span></div>` : ''
  if (template != null) {
    const values = { ...data, label, icon, status, sub, color }
    return open + `<div class="ff-custom">${fillTemplate(template, values)}</div>` + badge + `</div>`
  }
  if (shape === 'table')
    return (
      open +
      `<div class="ff-table-head"><span class="ff-icon">${escapeHtml(icon)}</span>` +
      `<span class="ff-label">${escapeHtml(label)}</span>${badge}</div>` +
      `<div class="ff-table-cols">${tableRows(data)}</div>` +
      (sub ? `<div class="ff-sub">${escapeHtml(sub)}</div>` : '') +
      `</div>`
    )
  return (
    open +
    `<div class="ff-icon">${escapeHtml(icon)}</div>` +
    `<div class="ff-text"><div class="ff-label">${escapeHtml(label)}</div>` +
    (sub ? `<div class="ff-sub">${escapeHtml(sub)}</div>` : '') +
    `</div>` +
    badge +
    `</div>`
  )
}

const PORT_ATTRS = { r: 5, fill: '#fff', stroke: '#94a3b8', strokeWidth: 1.5 }
const portNames = (n, prefix) =>
  Array.isArray(n) ? n.map(String) : Array.from({ length: Math.max(0, n ?? 1) }, (_, i) => `${prefix}-${i}`)

// Table geometry: a header, then one row per column.
export const TABLE_HEAD = 34
export const TABLE_ROW = 24
const columnNames = (data) => (data.columns || []).map((c) => String(typeof c === 'string' ? c : c.name))

// Where `n` ports sit on the side `side` of an outline (fractions of the node's size, 0..1).
function sidePoints(shape, side, n, w, h) {
  const at = (i) => (i + 1) / (n + 1)
  if (shape === 'diamond') {
    // one port per vertex: the named side first, then round the diamond
    const vertices = { left: [0, 0.5], right: [1, 0.5], top: [0.5, 0], bottom: [0.5, 1] }
    const order = { left: ['left', 'top', 'bottom'], right: ['right', 'bottom', 'top'], top: ['top', 'right', 'left'], bottom: ['bottom', 'right', 'left'] }
    if (n <= 3) return order[side].slice(0, n).map((s) => vertices[s])
  }
  if (shape === 'parallelogram' && (side === 'left' || side === 'right')) {
    // on the slanted sides (which cross the box's sides half-way down): x moves with y
    const s = SLANT / w
    return Array.from({ length: n }, (_, i) => {
      const t = at(i)
      return side === 'left' ? [s * (0.5 - t), t] : [1 + s * (0.5 - t), t]
    })
  }
  return Array.from({ length: n }, (_, i) => {
    const t = at(i)
    return { left: [0, t], right: [1, t], top: [t, 0], bottom: [t, 1] }[side] || [1, t]
  })
}

// The place of a port's label: X6's default ('left') as a constant. fastflow's ports have no label,
// but X6 works the place out, with a generic deep merge, wherever it lays ports out (the ports it
// draws itself, `getPortsPosition`).
const PORT_LABEL_LAYOUT = 'fastflow-port-label'
const portLabelLayout = () => ({ position: { x: -15, y: 0 }, angle: 0, attrs: { '.': { y: '.3em', 'text-anchor': 'end' } } })

// The port groups, shared by every node shape (X6 merges them into each node's ports).
const portGroup = {
  position: { name: 'absolute' },
  label: { position: { name: PORT_LABEL_LAYOUT } },
  markup: [{ tagName: 'circle', selector: 'circle' }],
  // both ends start edges: one dragged from an input is turned round when it connects (graph.js)
  attrs: { circle: { ...PORT_ATTRS, magnet: true } },
}
export const PORT_GROUPS = { in: portGroup, out: portGroup }

/** X6 port items (their groups are the shapes' PORT_GROUPS): `inputs` / `outputs` are a count (0 = none) or a list of names. */
export function portsOf(spec) {
  const data = nodeData(spec)
  return portItems(data, ...nodeSize(spec, data))
}

// the port items of a node with data `data` (see nodeData), `w` x `h` px
function portItems(data, w, h) {
  const pos = data.portPositions || {}
  // a port with a name shows it on hover; counted ports (in-0, out-0) have nothing to show
  const item = (id, g, [x, y], named = true) => ({ id, group: g, args: { x: x * w, y: y * h }, ...(named ? { attrs: { circle: { title: id } } } : {}) })
  if (data.shape === 'table') {
    // one port per column on each side, level with its row: `name` on the left, `name:out` on the right
    const cols = columnNames(data)
    const y = (i) => (TABLE_HEAD + TABLE_ROW * (i + 0.5)) / h
    return {
      items: [...cols.map((c, i) => item(c, 'in', [0, y(i)])), ...cols.map((c, i) => item(`${c}:out`, 'out', [1, y(i)]))],
    }
  }
  const ins = portNames(data.inputs, 'in')
  const outs = portNames(data.outputs, 'out')
  const inSide = pos.inputs || 'left'
  const outSide = pos.outputs || 'right'
  const inAt = sidePoints(data.shape, inSide, ins.length, w, h)
  const outAt = sidePoints(data.shape, outSide, outs.length, w, h)
  const inNamed = Array.isArray(data.inputs), outNamed = Array.isArray(data.outputs)
  return { items: [...ins.map((id, i) => item(id, 'in', inAt[i], inNamed)), ...outs.map((id, i) => item(id, 'out', outAt[i], outNamed))] }
}

/** The node data kept on the X6 cell (what `node.getData()` returns). */
export function nodeData(spec) {
  const { x, y, width, height, portPositions, inputs, outputs, data, ...rest } = spec
  const look = lookOf(spec.nodeType || data?.nodeType || 'default')
  const out = {
    ...(data || {}),
    ...rest,
    label: spec.label ?? spec.id,
    icon: spec.icon || data?.icon || look.icon,
    nodeType: spec.nodeType || data?.nodeType || 'default',
    status: spec.status || data?.status || 'pending',
    inputs: inputs ?? data?.inputs ?? 1,
    outputs: outputs ?? data?.outputs ?? 1,
    portPositions: portPositions || data?.portPositions || { inputs: 'left', outputs: 'right' },
    shape: spec.shape || data?.shape || look.shape,
  }
  if (out.color != null && colorOr(out.color, null, `node ${JSON.stringify(String(spec.id))}`) == null) delete out.color
  if (!SHAPES[out.shape])
    throw new Error(`fastflow: node ${JSON.stringify(spec.id)} has unknown shape ${JSON.stringify(out.shape)}; one of ${Object.keys(SHAPES).join(', ')}`)
  return out
}

// A card, pill or parallelogram widens (up to WIDER px) for a label its default width would cut: the room its
// label has at the default width (what the icon, the status symbol and the padding leave; fastflow.css)
const LABEL_ROOM = { card: 96, pill: 92, parallelogram: 84 }
const WIDER = 110
let measure = null
const labelWidths = new Map()
function labelWidth(label) {
  let w = labelWidths.get(label)
  if (w === undefined) {
    measure ||= typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null
    if (!measure) return 0
    measure.font = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
    labelWidths.set(label, (w = Math.ceil(measure.measureText(label).width)))
  }
  return w
}
/** How much wider than its default a node's outline must be to show `label` whole (0: it fits). */
export function widenFor(shape, label) {
  const room = LABEL_ROOM[shape]
  if (!room || label == null) return 0
  const text = String(label)
  if (text.length * 9 <= room) return 0 // (short: it fits whatever the font; not measured)
  return Math.min(WIDER, Math.max(0, labelWidth(text) - room + 2))
}

/** The width a node with `data` gets unless it has its own: its type's, else its outline's default widened for `label`. */
export function autoWidth(data, label) {
  const look = lookOf(data.nodeType)
  return look.width || (SIZES[data.shape] || SIZES.card)[0] + (data.html == null ? widenFor(data.shape, label) : 0)
}

/** A node's size: its own, else its type's, else its outline's default, widened for its label (a table grows with its columns). */
function nodeSize(spec, data) {
  const look = lookOf(data.nodeType)
  const [, h0] = SIZES[data.shape] || SIZES.card
  const w = spec.width || autoWidth(data, data.label ?? spec.id)
  const h = spec.height || look.height || (data.shape === 'table' ? TABLE_HEAD + TABLE_ROW * Math.max(1, columnNames(data).length) + 6 : h0)
  return [w, h]
}

// The outline's SVG attributes for a shape and size. Its colours are CSS variables (fastflow.css
// draws `.ff-outline` with them), so that dark themes restyle every node at once: a pill or a diamond is
// outlined in its type's colour, a card or a parallelogram takes some of it into its border; on a dark
// background (a dark color-scheme) the colour is lifted towards white, so that a dark one still shows.
const tinted = (shape) => shape === 'diamond' || shape === 'pill'
function restingStroke(shape, color) {
  const ink = `color-mix(in srgb, ${color}, light-dark(${color}, #fff) 40%)`
  return tinted(shape) ? ink : `color-mix(in srgb, ${ink} 40%, var(--ff-node-border))`
}
function outlineAttrs(shape, w, h, color) {
  const style = tinted(shape)
    ? { '--ff-fill': `color-mix(in srgb, ${color} 14%, var(--ff-node-bg))`, '--ff-stroke': restingStroke(shape, color), '--ff-stroke-width': '1.5' }
    : { '--ff-fill': 'var(--ff-node-bg)', '--ff-stroke': restingStroke(shape, color), '--ff-stroke-width': '1' }
  if (shape === 'diamond') return { points: `${w / 2},0 ${w},${h / 2} ${w / 2},${h} 0,${h / 2}`, style }
  if (shape === 'parallelogram') return { points: `${SLANT / 2},0 ${w + SLANT / 2},0 ${w - SLANT / 2},${h} ${-SLANT / 2},${h}`, style }
  const r = shape === 'pill' ? h / 2 : 8
  return { rx: r, ry: r, style }
}

/** The sizes of a node's outline and content for its size: given as numbers, not as X6's relative
 * attributes (`refWidth: '100%'`), which X6 works out again each time it draws the node. */
export function sizeAttrs(shape, width, height) {
  return {
    ...(SHAPES[shape] === NODE_SHAPE ? { body: { width, height } } : {}),
    // a parallelogram's content sits between its slanted sides
    fo: shape === 'parallelogram' ? { x: SLANT / 2, width: width - SLANT, height } : { width, height },
  }
}

/** X6 node metadata (for `graph.addNode`) from one node of a graph spec. */
export function nodeMetadata(spec) {
  const data = nodeData(spec)
  const [width, height] = nodeSize(spec, data)
  const color = isColor(data.color) ? data.color : lookOf(data.nodeType).color
  const body = outlineAttrs(data.shape, width, height, color)
  const sized = sizeAttrs(data.shape, width, height)
  return {
    id: String(spec.id),
    shape: SHAPES[data.shape],
    x: spec.x ?? 0,
    y: spec.y ?? 0,
    width,
    height,
    data,
    ports: portItems(data, width, height),
    attrs: { ...sized, body: { ...body, ...sized.body }, foBody: { html: nodeHtml(data) } },
  }
}

/** The outline's stroke for a status: red on error, its own colour otherwise. */
export function outlineStroke(node, status) {
  if (status === 'error') return STATUS_LOOK.error.color
  const d = node.getData() || {}
  // a parallelogram has no status bar: its outline shows the status
  if (d.shape === 'parallelogram' && STATUS_LOOK[status] && status !== 'pending') return STATUS_LOOK[status].color
  return restingStroke(d.shape, isColor(d.color) ? d.color : lookOf(d.nodeType).color)
}

const FO = {
  tagName: 'foreignObject',
  selector: 'fo',
  children: [
    {
      ns: 'http://www.w3.org/1999/xhtml',
      tagName: 'body',
      selector: 'foBody',
      attrs: { xmlns: 'http://www.w3.org/1999/xhtml' },
      className: 'ff-fo-body',
    },
  ],
}

// Where an edge meets a port: on the port's circle, found from the node's model (see the view's
// plainPort). X6's `boundary` connection point measures the circle in the page, for both ends of
// each edge it draws. An end that is not a plain port (a node's body, a port X6 drew) is X6's.
export const PORT_END = 'fastflow-port'
function portEnd(line, view, magnet, ...rest) {
  const port = view.plainPort?.(magnet)
  if (!port) return connectionPointRegistry.get('boundary').call(this, line, view, magnet, ...rest)
  const rim = port.r + port.stroke / 2, { start, end } = line
  return end.distance(start) > rim ? end.clone().move(start, -rim) : end.clone()
}

/** Register fastflow's node shapes with X6 (once per X6 copy). They are plain X6 nodes: not X6's
 * rect or polygon shapes, whose default label and outline attributes every node would carry (and
 * X6 copy, merge and draw) for nothing: fastflow.css draws the outline, the HTML the label. */
export function registerNodeShape(Graph) {
  if (registerNodeShape.done) return
  Graph.registerPortLabelLayout(PORT_LABEL_LAYOUT, portLabelLayout, true)
  Graph.registerConnectionPoint(PORT_END, portEnd, true)
  registerNodeView(Graph)
  // (sizes come with each node: see sizeAttrs)
  Graph.registerNode(
    NODE_SHAPE,
    {
      view: NODE_VIEW,
      markup: [{ tagName: 'rect', selector: 'body', className: 'ff-outline' }, FO],
      ports: { groups: PORT_GROUPS },
      attrs: { body: { rx: 8, ry: 8 } },
    },
    true,
  )
  for (const name of ['fastflow-diamond', 'fastflow-parallelogram'])
    Graph.registerNode(name, { view: NODE_VIEW, markup: [{ tagName: 'polygon', selector: 'body', className: 'ff-outline' }, FO], ports: { groups: PORT_GROUPS } }, true)
  registerNodeShape.done = true
}
