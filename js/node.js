// How a fastflow node looks: one module, used by the page bridge and the Jupyter widget alike.
//
// A node is an X6 node of shape `fastflow-node`: an SVG rect (`body`, the card) under a
// foreignObject whose XHTML <body> has the selector `foBody`. Everything visible inside the card
// (status bar, icon, label, a sub line, status symbol) is the HTML of `foBody`, so a page can
// redraw it itself with `node.attr('foBody/html', html)`, as the tutorial does.

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
}
export const STATUSES = Object.keys(STATUS_LOOK)

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Text as HTML that shows exactly that text. */
export const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c])

const lookOf = (status) => STATUS_LOOK[status] || STATUS_LOOK.pending

/** The sub line under the label: the error message, the skip reason, or the elapsed time. */
export function subText(data) {
  if (data.message) return String(data.message)
  if (data.status === 'success' && typeof data.elapsed === 'number') return `${data.elapsed.toFixed(2)}s`
  if (data.status === 'running') return 'running…'
  return ''
}

/** The HTML drawn inside a node (the content of `foBody`) for its data. */
export function nodeHtml(data) {
  const status = STATUS_LOOK[data.status] ? data.status : 'pending'
  const { symbol } = lookOf(status)
  const sub = subText({ ...data, status })
  const title = sub ? `${data.label ?? data.id} — ${sub}` : (data.label ?? data.id)
  return (
    `<div class="ff-node ff-${status}" title="${escapeHtml(title)}">` +
    `<div class="ff-bar"></div>` +
    `<div class="ff-icon">${escapeHtml(data.icon || '⚙️')}</div>` +
    `<div class="ff-text"><div class="ff-label">${escapeHtml(data.label ?? data.id)}</div>` +
    (sub ? `<div class="ff-sub">${escapeHtml(sub)}</div>` : '') +
    `</div>` +
    (symbol ? `<div class="ff-symbol"><span>${symbol}</span></div>` : '') +
    `</div>`
  )
}

const PORT_ATTRS = { r: 5, fill: '#fff', stroke: '#94a3b8', strokeWidth: 1.5 }
const portNames = (n, prefix) =>
  Array.isArray(n) ? n.map(String) : Array.from({ length: Math.max(0, n ?? 1) }, (_, i) => `${prefix}-${i}`)

/** X6 port groups and items: `inputs` / `outputs` are a count (0 = none) or a list of names. */
export function portsOf(spec) {
  const pos = spec.portPositions || {}
  const group = (position, magnet) => ({
    position,
    markup: [{ tagName: 'circle', selector: 'circle' }],
    attrs: { circle: { ...PORT_ATTRS, magnet } },
  })
  const ins = portNames(spec.inputs, 'in').map((id) => ({ id, group: 'in', attrs: { circle: { title: id } } }))
  const outs = portNames(spec.outputs, 'out').map((id) => ({ id, group: 'out', attrs: { circle: { title: id } } }))
  return {
    // both ends start edges: one dragged from an input is turned round when it connects (graph.js)
    groups: { in: group(pos.inputs || 'left', true), out: group(pos.outputs || 'right', true) },
    items: [...ins, ...outs],
  }
}

/** The node data kept on the X6 cell (what `node.getData()` returns). */
export function nodeData(spec) {
  const { x, y, width, height, portPositions, inputs, outputs, data, ...rest } = spec
  return {
    ...(data || {}),
    ...rest,
    label: spec.label ?? spec.id,
    icon: spec.icon || '⚙️',
    nodeType: spec.nodeType || 'default',
    status: spec.status || 'pending',
    inputs: inputs ?? 1,
    outputs: outputs ?? 1,
    portPositions: portPositions || { inputs: 'left', outputs: 'right' },
  }
}

/** X6 node metadata (for `graph.addNode`) from one node of a graph spec. */
export function nodeMetadata(spec) {
  const data = nodeData(spec)
  return {
    id: String(spec.id),
    shape: NODE_SHAPE,
    x: spec.x ?? 0,
    y: spec.y ?? 0,
    width: spec.width || NODE_WIDTH,
    height: spec.height || NODE_HEIGHT,
    data,
    ports: portsOf(spec),
    attrs: { foBody: { html: nodeHtml(data) } },
  }
}

/** Register the `fastflow-node` shape with X6 (once per X6 copy). */
export function registerNodeShape(Graph) {
  if (registerNodeShape.done) return
  Graph.registerNode(
    NODE_SHAPE,
    {
      inherit: 'rect',
      markup: [
        { tagName: 'rect', selector: 'body' },
        {
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
        },
      ],
      attrs: {
        body: { refWidth: '100%', refHeight: '100%', rx: 8, ry: 8, fill: '#ffffff', stroke: '#e2e8f0', strokeWidth: 1 },
        fo: { refWidth: '100%', refHeight: '100%' },
      },
    },
    true,
  )
  registerNodeShape.done = true
}
