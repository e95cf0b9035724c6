// "Run from here": a node's context menu (right-click it, or select it and press the context-menu key or
// Shift+F10). It starts a new run of the graph that reruns that node and everything downstream of it, and
// takes every other node's result from an earlier run: the run chosen in the graph's runs list, else the last
// run the page watched. The new run is streamed from the same route with `?from=<run id>&node=<node id>`
// (what `fastflow.runs.run_stream` reads); the reused nodes settle `cached`.

import * as R from './runs.js'

const STYLE = `
.ff-menu { position: fixed; z-index: 1000; min-width: 140px; padding: 4px; background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; box-shadow: 0 4px 16px rgba(15, 23, 42, .15); font: 13px/1.4 -apple-system, system-ui, sans-serif; }
.ff-menu button { display: block; width: 100%; border: 0; background: none; padding: 5px 10px; text-align: left; font: inherit; color: #1f2937; border-radius: 4px; cursor: pointer; }
.ff-menu button:hover:not(:disabled), .ff-menu button:focus-visible { background: #f1f5f9; outline: none; }
.ff-menu button:disabled { color: #94a3b8; cursor: default; }
.ff-menu .ff-menu-note { padding: 2px 10px 4px; color: #64748b; font-size: 11px; }
`

let connect = null // page.js's connectExecution, handed over by `installMenu`
let open = null // the menu on screen: {el, close}

function injectCss(doc) {
  if (doc.getElementById('fastflow-menu-css')) return
  const s = doc.createElement('style')
  s.id = 'fastflow-menu-css'
  s.textContent = STYLE
  doc.head.appendChild(s)
}

/** Where a rerun of `graphId` comes from: `{url, runId}` (either may be missing). */
export function rerunSource(graphId) {
  const last = R.lastRun(graphId)
  const box = document.querySelector(`.fastflow-history[data-graph="${CSS.escape(String(graphId))}"]`)
  return {
    url: last?.url ?? box?.dataset.runUrl ?? null,
    runId: R.chosen(graphId) ?? last?.runId ?? box?.fastflowHistory?.newest ?? null,
  }
}

/**
 * Rerun node `nodeId` of graph `graphId` and everything downstream of it, reusing the other nodes' results
 * of run `runId` (default: the run chosen in the runs list, else the last run the page watched), streamed
 * from the route `url` (default: the route of that last run, else the runs list's `data-run-url`).
 * Returns what `connectExecution` returns.
 */
export function rerunFrom(graphId, nodeId, { runId, url, ...opts } = {}) {
  if (!connect) throw new Error('fastflow: rerunFrom needs the page bridge (fastflow.js)')
  const src = rerunSource(graphId)
  url = url ?? src.url
  runId = runId ?? src.runId
  if (!url) throw new Error(`fastflow: no run route known for graph ${JSON.stringify(graphId)}: run it once on this page, or give RunHistory a run_url`)
  if (!runId) throw new Error(`fastflow: no earlier run of graph ${JSON.stringify(graphId)} to take results from`)
  return connect(graphId, R.withParams(url, { from: runId, node: nodeId }), opts)
}

function closeMenu() {
  open?.close()
}

function openMenu(graph, graphId, node, x, y) {
  closeMenu()
  const doc = graph.container.ownerDocument
  injectCss(doc)
  const src = rerunSource(graphId)
  const el = doc.createElement('div')
  el.className = 'ff-menu'
  el.setAttribute('role', 'menu')
  el.setAttribute('aria-label', `Node ${node.getData()?.label ?? node.id}`)
  const item = doc.createElement('button')
  item.type = 'button'
  item.setAttribute('role', 'menuitem')
  item.textContent = 'Run from here'
  item.dataset.action = 'run-from-here'
  const ready = src.url && src.runId
  item.disabled = !ready
  item.title = ready ? `Rerun ${node.id} and what follows it, reusing run ${src.runId}` : 'No earlier run to reuse yet: run the flow once'
  el.append(item)
  if (ready) {
    const note = doc.createElement('div')
    note.className = 'ff-menu-note'
    note.textContent = `reusing run ${src.runId.slice(0, 8)}`
    el.append(note)
  }
  Object.assign(el.style, { left: `${x}px`, top: `${y}px` })
  doc.body.append(el)
  const r = el.getBoundingClientRect() // keep it on screen
  if (r.right > innerWidth) el.style.left = `${Math.max(0, innerWidth - r.width - 4)}px`
  if (r.bottom > innerHeight) el.style.top = `${Math.max(0, innerHeight - r.height - 4)}px`
  const away = (e) => { if (!el.contains(e.target)) close() }
  const keys = (e) => {
    if (e.key === 'Escape') { e.preventDefault(); close(); graph.container.focus?.() }
    else if (e.key === 'Tab') close()
  }
  function close() {
    el.remove()
    doc.removeEventListener('pointerdown', away, true)
    doc.removeEventListener('keydown', keys, true)
    removeEventListener('blur', close)
    if (open?.el === el) open = null
  }
  doc.addEventListener('pointerdown', away, true)
  doc.addEventListener('keydown', keys, true)
  addEventListener('blur', close)
  item.addEventListener('click', () => { close(); rerunFrom(graphId, node.id) })
  open = { el, close }
  if (ready) item.focus()
  else { el.tabIndex = -1; el.focus() }
}

/** Give `graph` (registered as `graphId`) its node context menu; `connectExecution` is how a rerun is streamed. */
export function installMenu(graph, graphId, connectExecution) {
  connect = connectExecution
  if (graphId == null) return
  graph.on('node:contextmenu', ({ e, node }) => {
    e.preventDefault?.()
    openMenu(graph, graphId, node, e.clientX, e.clientY)
  })
  graph.container.addEventListener('keydown', (e) => {
    if (!(e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) return
    const node = (graph.getSelectedCells?.() || []).find((c) => c.isNode())
    if (!node) return
    e.preventDefault()
    const box = graph.findViewByCell(node)?.container?.getBoundingClientRect()
    if (box) openMenu(graph, graphId, node, box.left + box.width / 2, box.bottom)
  })
  graph.on('blank:mousedown', closeMenu)
  graph.on('scale', closeMenu)
  graph.on('translate', closeMenu)
}

const ff = (window.fastflow = window.fastflow || {})
ff.rerunFrom = rerunFrom
