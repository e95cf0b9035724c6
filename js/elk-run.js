// ELK's layered layout, run in a Web Worker: ELK is big (1.6 MB of JavaScript) and its first layout
// on a page is slow, and in a worker neither its compiling nor its layouts hold the page up. The
// worker runs ELK's chunk (fastflow/static/fastflow-elk.js: elkjs's worker code, which answers
// elkjs's messages); where the page may not start workers (its Content-Security-Policy, say), the
// same chunk runs in the page, behind elkjs's stand-in for a worker.
//
// elk-lazy.js (the page bundle) and elk.js (the widget) say where the chunk comes from and how it
// runs in the page; both export `getELK()`: an ELK class, as elkjs's (`layout(graph)`).

/** Messages to ELK's worker (or its stand-in), each answered by a message with its id. */
function channel(port, onFail = () => {}) {
  let next = 0
  const waiting = new Map()
  const failAll = (err) => { for (const w of waiting.values()) w.reject(err); waiting.clear(); onFail(err) }
  port.onmessage = ({ data }) => {
    const w = waiting.get(data?.id)
    if (!w) return
    waiting.delete(data.id)
    if (data.error) w.reject(elkError(data.error))
    else w.resolve(data.data)
  }
  port.onerror = (e) => { e.preventDefault?.(); failAll(new Error(`fastflow: ELK's worker failed${e.message ? `: ${e.message}` : ''}`)) }
  const call = (msg) => new Promise((resolve, reject) => {
    const id = next++
    waiting.set(id, { resolve, reject })
    try { port.postMessage({ ...msg, id }) } catch (err) { waiting.delete(id); reject(err) }
  })
  return { call, close: () => port.terminate?.() }
}

/** An Error from what ELK's worker sends back when a layout throws (a Java exception, flattened). */
function elkError(e) {
  if (e instanceof Error) return e
  const text = typeof e === 'string' ? e : e?.message || JSON.stringify(e)
  return new Error(`fastflow: ELK could not lay the graph out: ${text}`)
}

// (ELK's worker code knows every algorithm; a layout here only asks for the layered one)
const REGISTER = { cmd: 'register', algorithms: ['layered'] }

/** ELK in a worker made from its chunk: resolves once the worker answered, rejects if it can't start;
 * `onLost()` if it fails later (the next layout starts another). */
async function inWorker(src, onLost) {
  const url = src.url || URL.createObjectURL(new Blob([src.text], { type: 'text/javascript' }))
  let elk = null, started = false
  try {
    elk = channel(new Worker(url), () => { elk?.close(); if (started) onLost() })
    await elk.call(REGISTER)
    started = true
    return elk
  } catch (err) {
    elk?.close()
    throw err
  } finally {
    if (!src.url) URL.revokeObjectURL(url)
  }
}

/** ELK in the page: the chunk run by `runInPage`, which defines its stand-in for a worker. */
async function inPage(src, runInPage) {
  if (!window.fastflowELKWorker) await runInPage(src)
  if (!window.fastflowELKWorker) throw new Error('fastflow: ELK\'s chunk did not load')
  const elk = channel(new window.fastflowELKWorker())
  await elk.call(REGISTER)
  return elk
}

/**
 * An ELK class whose layouts run in one worker shared by the page's graphs (started on the first
 * layout), or in the page where workers are refused. `chunk()`: ELK's chunk, as `{url}` or
 * `{text}`; `runInPage(src)`: runs that chunk in the page.
 */
export function elkClass(chunk, runInPage) {
  let engine = null
  // (the worker is made before start's first await: a graph's mount starts ELK before its own work)
  const start = async () => {
    const src = chunk()
    try {
      return await inWorker(src, () => { engine = null })
    } catch (err) {
      console.info('fastflow: ELK runs in the page (no worker:', err?.message || err, ')')
      return inPage(src, runInPage)
    }
  }
  return class ELK {
    /** Start ELK (its worker) now, for a layout to come. */
    warm() { engine ||= start().catch((err) => { engine = null; throw err }); return engine }
    layout(graph, { layoutOptions = {} } = {}) {
      return this.warm().then((elk) => elk.call({ cmd: 'layout', graph, layoutOptions, options: {} }))
    }
  }
}
