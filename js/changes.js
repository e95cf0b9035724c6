// Edits reach the server: an editor rendered with `FlowEditor(..., on_change=url)` POSTs the flow
// and what changed since the last post (debounced) to `url`, as two form fields: `flow` (the
// exportFlow JSON) and `changes` (a JSON list of {kind, id, ...}).
//
// With htmx on the page the editor element carries `hx-post` and `hx-trigger="fastflow:change"`,
// so htmx sends the request and any other hx-* attribute (hx-target, hx-swap, hx-include,
// hx-headers, hx-indicator) applies; without htmx a plain fetch sends the same fields.
//
// The server answers problems with the response header `HX-Trigger: {"fastflow:problems": {...}}`
// ({nodes: {id: [messages]}, edges: {edge id or "source->target": [messages]}}): the editor marks
// those nodes and edges (red outline, the messages as their tooltip) until the next answer.

import { exportFlow } from './graph.js'

const STYLE_ID = 'fastflow-problems-css'
const CSS = `.ff-has-problem .ff-outline { stroke: #dc2626 !important; stroke-width: 2.5px !important; }
.ff-has-problem { filter: drop-shadow(0 0 3px rgba(220, 38, 38, 0.6)); }`

function injectStyle(doc) {
  if (doc.getElementById(STYLE_ID)) return
  const s = doc.createElement('style')
  s.id = STYLE_ID
  s.textContent = CSS
  doc.head.appendChild(s)
}

const edgeKey = (edge) => `${edge.getSourceCellId()}->${edge.getTargetCellId()}`

/** Mark the nodes and edges named in `problems` ({nodes: {id: [msg]}, edges: {id or "a->b": [msg]}}); clears earlier marks. Returns how many cells were marked. */
export function showProblems(graph, problems = {}) {
  injectStyle(graph.container.ownerDocument || document)
  for (const cell of graph.fastflowProblemCells || []) {
    const view = graph.findViewByCell(cell)
    view?.container.classList.remove('ff-has-problem')
    view?.container.removeAttribute('data-ff-problems')
    if (cell.isEdge?.()) cell.attr('line/stroke', cell.getData()?.problemColor ?? cell.attr('line/stroke'))
    view?.container.querySelector(':scope > title.ff-problem-title')?.remove()
  }
  const marked = []
  const mark = (cell, msgs) => {
    if (!cell || !msgs?.length) return
    const text = [].concat(msgs).map(String).join('\n')
    marked.push(cell)
    if (cell.isEdge()) {
      cell.setData({ problemColor: cell.attr('line/stroke') }, { silent: true })
      cell.attr('line/stroke', '#dc2626')
    }
    const view = graph.findViewByCell(cell)
    if (!view) return
    view.container.classList.add('ff-has-problem')
    view.container.setAttribute('data-ff-problems', text)
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title')
    title.setAttribute('class', 'ff-problem-title')
    title.textContent = text
    view.container.prepend(title)
  }
  for (const [id, msgs] of Object.entries(problems.nodes || {})) mark(graph.getCellById(id), msgs)
  const edges = graph.getEdges()
  for (const [key, msgs] of Object.entries(problems.edges || {})) {
    const byId = graph.getCellById(key)
    if (byId?.isEdge?.()) mark(byId, msgs)
    else for (const e of edges) if (edgeKey(e) === key) mark(e, msgs)
  }
  graph.fastflowProblemCells = marked
  graph.trigger('fastflow:problems', { problems, marked: marked.map((c) => c.id) })
  return marked.length
}

function problemsFrom(header) {
  if (!header) return null
  try { return JSON.parse(header)['fastflow:problems'] ?? null } catch { return null }
}

/** Post the flow and its changes to `url` (debounced by `delay` ms) on every edit, selection, add and removal. */
export function watchChanges(graph, el, url, delay = 300) {
  let pending = []
  let timer = null
  const push = (change) => {
    pending.push(change)
    clearTimeout(timer)
    timer = setTimeout(flush, delay)
  }
  function flush() {
    timer = null
    if (graph.disposed || !pending.length) return
    el.fastflowChanges = pending
    pending = []
    const htmx = el.ownerDocument.defaultView?.htmx
    if (htmx && el.getAttribute('hx-post')) {
      el.dispatchEvent(new CustomEvent('fastflow:change', { detail: { changes: el.fastflowChanges } }))
      return
    }
    const body = new URLSearchParams({ flow: JSON.stringify(exportFlow(graph)), changes: JSON.stringify(el.fastflowChanges) })
    fetch(url, { method: 'POST', body })
      .then((r) => {
        const problems = problemsFrom(r.headers.get('HX-Trigger'))
        if (problems) showProblems(graph, problems)
      })
      .catch((err) => console.error(`fastflow: posting the changes to ${url} failed`, err))
  }
  // htmx: the request it makes for `fastflow:change` carries the flow and the changes
  el.addEventListener('htmx:configRequest', (e) => {
    if (e.detail.elt !== el) return
    e.detail.parameters.flow = JSON.stringify(exportFlow(graph))
    e.detail.parameters.changes = JSON.stringify(el.fastflowChanges || [])
  })
  el.addEventListener('fastflow:problems', (e) => { if (e.target === el) showProblems(graph, e.detail) })
  const edgeInfo = (edge) => ({
    id: edge.id, source: edge.getSourceCellId(), target: edge.getTargetCellId(),
    sourcePort: edge.getSourcePortId() ?? null, targetPort: edge.getTargetPortId() ?? null,
  })
  graph.on('node:added', ({ node }) => push({ kind: 'node:added', id: node.id, nodeType: node.getData()?.nodeType }))
  graph.on('node:removed', ({ node }) => push({ kind: 'node:removed', id: node.id }))
  graph.on('node:moved', ({ node }) => push({ kind: 'node:moved', id: node.id, ...node.getPosition() }))
  graph.on('node:renamed', ({ node, label }) => push({ kind: 'node:renamed', id: node.id, label }))
  graph.on('edge:connected', ({ edge }) => push({ kind: 'edge:connected', ...edgeInfo(edge) }))
  graph.on('edge:removed', ({ edge }) => {
    if (edge.getSourceCellId() && edge.getTargetCellId()) push({ kind: 'edge:removed', ...edgeInfo(edge) })
  })
  graph.on('selection:changed', ({ added, removed }) => {
    for (const c of added || []) if (c.isNode()) push({ kind: 'node:selected', id: c.id })
    for (const c of removed || []) if (c.isNode()) push({ kind: 'node:unselected', id: c.id })
  })
  return { flush }
}
