// Renaming nodes: `renameNode` (an undoable edit of a node's label), and the inline editor that
// double-clicking a node opens over it (Enter or leaving the field saves, Escape cancels).

import { nodeHtml, autoWidth } from './node.js'

const DRAW_OPT = { ffStatus: true } // redrawing is not an edit: History leaves it out

/** Redraw a node's card from its data (after an edit of the data, or its undo). */
export const redrawNode = (node) => node.attr('foBody/html', nodeHtml(node.getData() || {}), DRAW_OPT)

/** Give node `id` the label `label` (undoable); false if there is no such node or nothing changes. */
export function renameNode(graph, id, label) {
  const node = graph.getCellById(String(id))
  const text = String(label ?? '')
  const previous = node?.getData()?.label
  if (graph.disposed || !node?.isNode() || !text.trim() || text === previous) return false
  // a node as wide as its old label made it (not a width of its own) takes the width of its new one; one undo step
  const data = node.getData() || {}, { width, height } = node.getSize()
  graph.batchUpdate('rename', () => {
    node.setData({ label: text }, { ffEdit: true })
    if (width === autoWidth(data, previous ?? node.id)) node.resize(autoWidth(data, text), height)
  })
  graph.trigger('node:renamed', { node, label: text, previous })
  return true
}

/** Where the inline editor goes: over the node's text (right of its icon), in `host`'s coordinates. */
function editorBox(graph, node, host) {
  const r = graph.localToGraph(node.getBBox())
  const canvas = graph.container.getBoundingClientRect()
  const outer = host.getBoundingClientRect()
  const s = graph.transform.getScale().sx
  const [left, top] = [canvas.left - outer.left + r.x + 36 * s, canvas.top - outer.top + r.y + 8 * s]
  return { left, top, width: Math.max(60 * s, r.width - 44 * s), height: r.height - 16 * s, scale: s }
}

/** Open an input over `node` to edit its label; returns the input. */
export function editLabel(graph, node, host) {
  host.querySelector(':scope > .ff-label-editor')?.blur()
  const doc = host.ownerDocument
  const input = doc.createElement('input')
  const { left, top, width, height, scale } = editorBox(graph, node, host)
  input.className = 'ff-label-editor'
  input.type = 'text'
  input.value = node.getData()?.label ?? node.id
  input.setAttribute('aria-label', 'Node label')
  input.setAttribute('data-lm-suppress-shortcuts', 'true') // JupyterLab: typing here is not a command
  Object.assign(input.style, {
    left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px`,
    fontSize: `${13 * scale}px`, padding: `0 ${4 * scale}px`, borderRadius: `${4 * scale}px`,
  })
  let open = true
  const close = (save) => {
    if (!open) return
    open = false
    graph.off('scale', commit).off('translate', commit).off('node:removed', gone).off('model:reseted', cancel)
    if (save) renameNode(graph, node.id, input.value)
    input.remove()
    if (save !== null) graph.container.focus({ preventScroll: true })
  }
  const commit = () => close(true)
  const cancel = () => close(null)
  const gone = ({ node: n }) => n === node && cancel()
  input.addEventListener('keydown', (e) => {
    e.stopPropagation()
    if (e.key === 'Enter') close(true)
    else if (e.key === 'Escape') close(false)
  })
  input.addEventListener('blur', () => close(true))
  graph.on('scale', commit).on('translate', commit).on('node:removed', gone).on('model:reseted', cancel)
  host.appendChild(input)
  input.focus()
  input.select()
  return input
}

/** Double-click a node to rename it; a label change in its data (a rename, its undo) redraws the node. */
export function enableRename(graph, host) {
  graph.on('node:dblclick', ({ node, e }) => {
    if (graph.fastflowOptions?.readOnly || e?.target?.closest?.('.x6-port')) return
    editLabel(graph, node, host)
  })
  graph.on('node:change:data', ({ node, current, previous, options }) => {
    if (!options?.ffStatus && current?.label !== previous?.label) redrawNode(node)
  })
}
