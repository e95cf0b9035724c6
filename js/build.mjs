// Build fastflow's browser bundles into ../fastflow/static (committed, so pip users need no npm):
//   page.js   -> fastflow.js  (IIFE: X6 + the page bridge, sets window.fastflow)
//   elkjs's worker code -> fastflow-elk.js  (ELK, which runs in a worker when a layout needs it: see elk-run.js)
//   widget.js -> widget.js    (ESM for anywidget, with fastflow-elk.js in it as text; built only when js/widget.js exists)
// Usage: npm ci && npm run build   (FF_DEBUG=1 npm run build: unminified, for reading stack traces)
import * as esbuild from 'esbuild'
import { existsSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

const here = (p) => new URL(p, import.meta.url).pathname
const out = here('../fastflow/static/')
mkdirSync(out, { recursive: true })
const version = /^version\s*=\s*(\S+)/m.exec(readFileSync(here('../settings.ini'), 'utf8'))[1]
const elkVersion = JSON.parse(readFileSync(here('node_modules/elkjs/package.json'), 'utf8')).version

const common = {
  bundle: true,
  minify: !process.env.FF_DEBUG,
  legalComments: 'eof',
  target: ['es2020'],
  loader: { '.css': 'text' },
  define: { FASTFLOW_VERSION: JSON.stringify(version), ELK_VERSION: JSON.stringify(elkVersion) },
  logLevel: 'info',
}

// X6 clones, merges and compares plain data with lodash's generic cloneDeep / merge / isEqual: fast-object.js does it faster
const FAST = ['cloneDeep', 'merge', 'isEqual']
const fastObject = {
  name: 'fast-object',
  setup(b) {
    b.onLoad({ filter: /@antv[\\/]x6[\\/]es[\\/]common[\\/]object[\\/]object\.js$/ }, async (args) => {
      const src = readFileSync(args.path, 'utf8')
      if (!FAST.every((n) => new RegExp(`^export \\{[^}]*\\b${n}\\b[^}]*\\} from 'lodash-es';$`, 'm').test(src))) throw new Error(`fast-object: ${args.path} changed; check build.mjs`)
      const lines = src.replace(/^export \{([^}]*)\} from 'lodash-es';$/m, (_, names) =>
        `export { ${names.split(',').map((n) => n.trim()).filter((n) => n && !FAST.includes(n)).join(', ')} } from 'lodash-es';\n` +
        `export { ${FAST.join(', ')} } from ${JSON.stringify(here('fast-object.js'))};`)
      return { contents: lines, loader: 'js', resolveDir: dirname(args.path) }
    })
  },
}
// Patches of X6's sources:
// - a new X6 cell's props are a fresh deep merge of its defaults and metadata, which X6's Store then
//   deep-clones again: the cell hands them over instead (a third of the cost of making a cell); and
//   X6 gives the shape's defaults an id (a uuid) for every cell, which the cell's own id replaces;
// - X6 camel-cases the name of every attribute it draws with lodash's (slow, regex based)
//   camelCase, on every draw: the names are few, so the results are kept (as X6 does for kebabCase);
// - X6 adds a class to an element by rebuilding its class attribute with regexes and string searches
//   (for every view and port it draws): the element's classList does it;
// - X6 names every cell made without an id (each edge of a graph spec) with a uuid it builds a
//   character at a time: the browser's crypto makes it, where the page has it;
// - X6 redraws a moved node, and its edges, at once: a selection moved, a layout or an undo redrew
//   an edge once for each of its two nodes. Held (holdViewUpdates in layout.js), each view waits,
//   and is redrawn once when the move is done;
// - X6 makes an edge's arrow head (builds a path, parses, measures and hashes it) each time it
//   draws the edge: the marker of the same arrow, colour and width is looked up once made;
// - X6 removes a cell's view in a job keyed by the cell's id, which a new cell with the same id
//   (a flow imported over one that shares node ids, an undo of that) takes over before it runs: the
//   old view stayed drawn for good. A view still to be removed is removed when its id gets a new one;
// - X6 tells which cells a reset added and removed by searching one list for each cell of the
//   other (quadratic: seconds for a 10,000-node graph read again): a set of ids does it;
// - X6's history takes a cell removed and a cell added with the same id in one batch for the same
//   cell put back, and drops both; it finds them by searching the batch for each cell's command
//   (quadratic: seconds to delete 10,000 nodes); and it replays each cell added (an undone
//   delete) with a sort of the whole graph (minutes for 10,000 nodes). Both are dropped only when
//   the two cells are the same, the batch is read once with its commands indexed by cell id, and
//   the graph is sorted once after a replay. A replayed add also stays after the removal of an
//   older cell with its id (X6 moved it before: a cell replaced within a batch was lost). An
//   undone removal puts each cell back where it was in the graph's order (X6 put them back in
//   the reverse order: a flow exported after a delete and its undo listed its cells reversed).
// X6's History.filterBatchCommand, with each cell's commands found through its id (see above)
const HISTORY_FILTER = `    filterBatchCommand(cmds) {
        const dropped = new Uint8Array(cmds.length), byId = new Map(), result = [];
        cmds.forEach((c, i) => { const id = c.data.id; if (id != null) (byId.get(id) || byId.set(id, []).get(id)).push(i); });
        const later = (id, i, test) => { for (const j of byId.get(id)) if (j > i && !dropped[j] && test(cmds[j])) return j; return -1; };
        for (let i = 0; i < cmds.length; i += 1) {
            const cmd = cmds[i], evt = cmd.event, id = cmd.data.id;
            if (dropped[i] || evt == null || (id == null && !cmd.modelChange)) continue;
            if (isAddEvent(evt)) {
                const j = later(id, i, (c) => isRemoveEvent(c.event));
                if (j >= 0) { for (const k of byId.get(id)) if (k > i && k <= j) dropped[k] = 1; continue; }
            } else if (isRemoveEvent(evt)) {
                const j = later(id, i, (c) => isAddEvent(c.event));
                if (j >= 0 && ObjectExt.isEqual(cmds[j].data.props, cmd.data.props)) { dropped[j] = 1; continue; }
            } else if (isChangeEvent(evt) && ObjectExt.isEqual(cmd.data.prev, cmd.data.next)) continue;
            result.push(cmd);
        }
        return result;
    }
    noteReplayedAdd(cell, data, revert) {
        (this.replayedAdds ||= []).push([cell, revert ? data.index : null, data.order]);
    }
    sortReplayedAdds() {
        const replayed = this.replayedAdds, collection = this.model.collection;
        this.replayedAdds = null;
        if (!replayed) return;
        // an undone removal: the cells go back last removed first, each to the place it left (a
        // node leaves before its edges, which the history lists before it: see the removal's order)
        const back = replayed.filter(([cell, index]) => typeof index === 'number' && collection.has(cell)).sort((a, b) => b[2] - a[2]);
        if (back.length) {
            const moved = new Set(back.map(([cell]) => cell)), cells = collection.cells.filter((c) => !moved.has(c));
            for (const [cell, index] of back) cells.splice(Math.min(index, cells.length), 0, cell);
            collection.cells = cells;
        }
        collection.sort();
        // (the model lists its nodes and edges in the order its id maps took them in: that order too)
        if (back.length) {
            const nodes = {}, edges = {};
            for (const cell of collection.cells) (cell.isEdge() ? edges : nodes)[cell.id] = true;
            Object.assign(this.model, { nodes, edges });
        }
    }
`
const PATCHES = {
  'plugin/history/index.js': [
    // (an add or a removal always makes a command of its own: no need to search the batch for one, per cell)
    ['const index = this.batchCommands.findIndex((cmd) =>', 'const index = isAddEvent(event) || isRemoveEvent(event) ? -1 : this.batchCommands.findIndex((cmd) =>'],
    ['    filterBatchCommand(batchCommands) {\n', HISTORY_FILTER + '    filterBatchCommandOneByOne(batchCommands) {\n'],
    ['                model.addNode(data.props, options);\n', '                this.noteReplayedAdd(model.addNode(data.props, Object.assign({}, options, { sort: false })), data, revert);\n'],
    ['                model.addEdge(data.props, options);\n', '                this.noteReplayedAdd(model.addEdge(data.props, Object.assign({}, options, { sort: false })), data, revert);\n'],
    // (where a removed cell was in the graph's order, for its undo)
    ['            data.props = ObjectExt.cloneDeep(cell.toJSON());\n', '            data.props = ObjectExt.cloneDeep(cell.toJSON());\n            if (isRemoveEvent(event) && typeof args.index === \'number\') Object.assign(data, { index: args.index, order: args.order });\n'],
    ['            this.executeCommand(cmd, true, localOptions);\n        }\n', '            this.executeCommand(cmd, true, localOptions);\n        }\n        this.sortReplayedAdds();\n'],
    ['            this.executeCommand(cmd, false, localOptions);\n        }\n', '            this.executeCommand(cmd, false, localOptions);\n        }\n        this.sortReplayedAdds();\n'],
  ],
  'plugin/history/util.js': [
    ['                if (cmds[j].data.id === id) {\n                    index = j;\n                    break;\n                }\n',
      '                if (cmds[j].data.id === id) {\n                    if (isRemoveEvent(cmds[j].event)) index = null;\n                    else if (index === null) index = j;\n                }\n'],
  ],
  'renderer/scheduler.js': [
    ['            let viewItem = views[id];\n',
      '            if (!views[id] && this.willRemoveViews[id]) this.removeView(this.willRemoveViews[id].view);\n            let viewItem = views[id];\n'],
  ],
  'renderer/queueJob.js': [
    // while view updates are held (holdViewUpdates in layout.js), a view's update waits, and runs once
    ['            job.cb();\n        }\n        else {', '            if (this.held) { this.held.delete(job.id); this.held.set(job.id, job.cb); }\n            else job.cb();\n        }\n        else {'],
  ],
  'registry/attr/marker.js': [
    // an edge's arrow head is made (a path built, parsed, measured, hashed) each time the edge is drawn:
    // the marker of the same arrow, colour and width is looked up instead
    ['function createMarker(type, marker, view, attrs, manual = {}) {\n',
      'const markerIds = new WeakMap();\n' +
      'function createMarker(type, marker, view, attrs, manual = {}) {\n' +
      '    let key = null;\n' +
      '    try { key = type + JSON.stringify([marker, normalizeAttr(attrs, type), manual]); } catch (e) { key = null; }\n' +
      '    const defs = view.graph.defs;\n' +
      '    let ids = markerIds.get(defs);\n' +
      '    if (!ids) markerIds.set(defs, (ids = new Map()));\n' +
      '    const known = key != null ? ids.get(key) : null;\n' +
      '    if (known && defs.isDefined(known)) return { [type]: `url(#${known})` };\n'],
    ['    return {\n        [type]: `url(#${view.graph.defineMarker(options)})`,\n    };\n',
      '    const id = view.graph.defineMarker(options);\n    if (key != null) ids.set(key, id);\n    return { [type]: `url(#${id})` };\n'],
  ],
  'model/collection.js': [
    ['            const added = [];\n', '            const previousIds = new Set(previous.map((c) => c.id));\n            const currentIds = new Set(current.map((c) => c.id));\n            const added = [];\n'],
    ['const exist = previous.some((b) => b.id === a.id);', 'const exist = previousIds.has(a.id);'],
    ['const exist = current.some((b) => b.id === a.id);', 'const exist = currentIds.has(a.id);'],
    // (each removal numbered, for the history: see sortReplayedAdds)
    ["this.trigger('removed', { cell, index, options });", "this.trigger('removed', { cell, index, options, order: (this.removals = (this.removals || 0) + 1) });"],
  ],
  'common/string/uuid.js': [
    ['export function uuid() {', "export function uuid() {\n    if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();"],
  ],
  'common/string/format.js': [
    ["import { camelCase, startCase,", "import { camelCase as lodashCamelCase, startCase,"],
    ["export { lowerFirst, upperFirst, camelCase } from 'lodash-es';", "export { lowerFirst, upperFirst } from 'lodash-es';"],
    ["export const kebabCase =", "const cachedCamelCase = cacheStringFunction((s) => lodashCamelCase(s));\n" +
      "export const camelCase = (s) => (typeof s === 'string' ? cachedCamelCase(s) : lodashCamelCase(s));\nexport const kebabCase ="],
  ],
  'common/dom/class.js': [
    ['return addClass(elem, selector(getClass(elem)));\n    }\n',
      'return addClass(elem, selector(getClass(elem)));\n    }\n' +
      "    if (typeof selector === 'string' && elem.nodeType === 1 && elem.classList) {\n" +
      '        const classes = selector.match(rnotwhite) || [];\n' +
      '        for (const c of classes) if (!elem.classList.contains(c)) elem.classList.add(c);\n' +
      '        return;\n    }\n'],
  ],
  'model/cell.js': [
    ['this.store = new Store(props);', 'this.store = new Store(props, true);'],
    // the defaults' id is always replaced by the cell's own: not made (a uuid, written into the shape's shared defaults) for each cell
    ['ObjectExt.merge({}, this.preprocess(defaults), this.preprocess(metadata))', 'ObjectExt.merge({}, this.preprocess(defaults, true), this.preprocess(metadata))'],
  ],
  // X6 makes a new <svg> element each time it needs an SVG matrix, point or transform (several per
  // edge it draws, to measure where the edge meets its ports): one element, kept, makes them all
  'common/dom/matrix.js': [
    ["import { createSvgElement } from './elem';\n", "import { createSvgElement } from './elem';\nlet mathSvg = null;\nexport const svgForMath = () => mathSvg || (mathSvg = createSvgElement('svg'));\n"],
    ["export function createSVGPoint(x, y) {\n    const svgDocument = createSvgElement('svg');", "export function createSVGPoint(x, y) {\n    const svgDocument = svgForMath();"],
    ["export function createSVGMatrix(matrix) {\n    const svgDocument = createSvgElement('svg');", "export function createSVGMatrix(matrix) {\n    const svgDocument = svgForMath();"],
    ["export function createSVGTransform(matrix) {\n    const svgDocument = createSvgElement('svg');", "export function createSVGTransform(matrix) {\n    const svgDocument = svgForMath();"],
  ],
  'common/util/index.js': [
    ["export function transformRectangle(rect, matrix) {\n    const svgDocument = Dom.createSvgElement('svg');", "export function transformRectangle(rect, matrix) {\n    const svgDocument = Dom.svgForMath();"],
  ],
  'model/node.js': [
    // (where an edge meets a port, from the model, for each edge drawn: the port is read, not deep-copied)
    ['        const port = this.getPort(portId);\n        if (!port || !port.group) {\n            return center;\n        }\n        const layouts = this.getPortsPosition(port.group);',
      '        const port = this.ports.items.find((p) => p.id === portId);\n        if (!port || !port.group) {\n            return center;\n        }\n        const layouts = this.getPortsPosition(port.group);'],
  ],
  'model/store.js': [
    ['constructor(data = {}) {', 'constructor(data = {}, owned = false) {'],
    ['this.mutate(ObjectExt.cloneDeep(data));', 'this.mutate(owned ? data : ObjectExt.cloneDeep(data));'],
  ],
}
const x6Patches = {
  name: 'x6-patches',
  setup(b) {
    b.onLoad({ filter: /@antv[\\/]x6[\\/]es[\\/](model[\\/](cell|node|store|collection)|renderer[\\/](scheduler|queueJob)|plugin[\\/]history[\\/](util|index)|common[\\/]string[\\/](format|uuid)|common[\\/]dom[\\/](class|matrix)|common[\\/]util[\\/]index|registry[\\/]attr[\\/]marker)\.js$/ }, async (args) => {
      let src = readFileSync(args.path, 'utf8')
      const file = args.path.split(/[\\/]/).slice(-3).join('/').replace(/^es\//, '')
      for (const [from, to] of PATCHES[file]) {
        if (src.split(from).length !== 2) throw new Error(`x6-patches: ${args.path} changed (${from}); check build.mjs`)
        src = src.replace(from, to)
      }
      return { contents: src, loader: 'js', resolveDir: dirname(args.path) }
    })
  },
}
// (V8's compile hint, a first line `//# allFunctionsCalledOnLoad`, was measured on each bundle and
// left out: it sped a 1,000-node mount up but slowed the page as a whole, 930 -> 1,016 ms from
// navigation, as most of the bundle is never called; and ELK's first layout in its worker took
// 637 ms with it, 553 without, median of 10 cold tabs)
// the page bundle loads ELK lazily: its ./elk.js is elk-lazy.js
const lazyELK = { name: 'lazy-elk', setup(b) { b.onResolve({ filter: /^\.\/elk\.js$/ }, () => ({ path: here('elk-lazy.js') })) } }
await esbuild.build({ ...common, entryPoints: [here('page.js')], format: 'iife', outfile: out + 'fastflow.js', plugins: [lazyELK, fastObject, x6Patches] })
// ELK's chunk is elkjs's worker code in a function: in a worker it
// answers elkjs's messages; run in a page (where workers are refused) it defines the stand-in for a
// worker that elkjs uses there, as window.fastflowELKWorker (see elk-run.js)
const elkWorker = readFileSync(here('node_modules/elkjs/lib/elk-worker.min.js'), 'utf8')
const elkChunk = await esbuild.transform(`(function () {
  const inPage = typeof document !== 'undefined'
  const module = inPage ? { exports: {} } : undefined
  ;(function (module, exports) {
${elkWorker}
  }).call(this, module, module && module.exports)
  if (inPage) window.fastflowELKWorker = module.exports.Worker
}).call(typeof self !== 'undefined' ? self : this)
`, { minify: !process.env.FF_DEBUG, target: common.target })
writeFileSync(out + 'fastflow-elk.js', `// ELK ${elkVersion} (elkjs, EPL-2.0), its worker code, for fastflow\n${elkChunk.code}`)
// the widget's module carries ELK as text (see elk.js): `fastflow-elk-source` is fastflow-elk.js, just built
const elkSource = {
  name: 'elk-source',
  setup(b) {
    b.onResolve({ filter: /^fastflow-elk-source$/ }, () => ({ path: out + 'fastflow-elk.js', namespace: 'elk-source' }))
    b.onLoad({ filter: /.*/, namespace: 'elk-source' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }))
  },
}
if (existsSync(here('widget.js')))
  await esbuild.build({ ...common, entryPoints: [here('widget.js')], format: 'esm', outfile: out + 'widget.js', plugins: [fastObject, x6Patches, elkSource] })
copyFileSync(here('bridge-names.json'), out + 'bridge-names.json')
copyFileSync(here('type-looks.json'), out + 'type-looks.json')

// the page bundle and ELK are also inlined in <script> tags: they must not contain a closing script tag
for (const f of ['fastflow.js', 'fastflow-elk.js']) {
  const js = readFileSync(out + f, 'utf8')
  if (/<\/script/i.test(js)) writeFileSync(out + f, js.replace(/<\/(script)/gi, '<\\/$1'))
}
