// fast-object.js against lodash: random JSON-like data and awkward values, merged, cloned and compared
// both ways; any difference is printed and the exit status is 1. Run: node js/check-fast-object.mjs [cases]
// (tests/test_fast_object.py runs it).
import { cloneDeep as lodashCloneDeep, merge as lodashMerge, isEqual as lodashIsEqual } from 'lodash-es'
import { cloneDeep, merge, isEqual } from './fast-object.js'

let seed = 20261130
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const pick = (xs) => xs[Math.floor(rnd() * xs.length)]
class Point { constructor(x) { this.x = x } }
const ODD = [new Point(1), Object.create(null), new Uint8Array([1, 2]), NaN, -0, undefined, () => 1, new Date(0),
  JSON.parse('{"__proto__": {"x": 1}}'), { constructor: 1 }, Object.assign({}, { [Symbol('s')]: 1 })]  // one of each: compared by reference
const odd = () => pick(ODD)
const KEYS = ['a', 'b', 'attrs', 'body', 'width', 'ports', 'items', '0', 'markup']

function value(depth) {
  const r = rnd()
  if (depth > 3 || r < 0.35) return pick([0, 1, -1, 2.5, 'x', '', true, false, null])
  if (r < 0.42) return odd()
  if (r < 0.62) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1))
  const o = {}
  for (let i = Math.floor(rnd() * 4); i > 0; i--) o[pick(KEYS)] = value(depth + 1)
  return o
}

// equal, and alike: same prototypes, -0 is not 0, what is not plain data is the same object (or a copy with the same contents)
function alike(a, b) {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (ArrayBuffer.isView(a)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
  if (a instanceof Date) return a.getTime() === b.getTime()
  const ka = Reflect.ownKeys(a), kb = Reflect.ownKeys(b)
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && alike(a[k], b[k]))
}

const show = (v) => { try { return JSON.stringify(v) } catch { return String(v) } }
const fails = []
const cases = Number(process.argv[2] || 20000)
for (let i = 0; i < cases; i++) {
  const srcs = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (rnd() < 0.1 ? null : value(0)))
  const target = () => { const t = rnd() < 0.5 ? {} : value(0); return t !== null && typeof t === 'object' ? t : {} }  // what X6 merges into
  seed += 7; const s0 = seed
  const t1 = target(); seed = s0; const t2 = target()
  const run = (f, t) => { try { return f(t, ...srcs) } catch (e) { return `threw ${e.constructor.name}` } }  // neither changes its sources
  const ours = run(merge, t1), theirs = run(lodashMerge, t2)
  if (!alike(ours, theirs)) fails.push(`merge ${show(srcs)}: ${show(ours)} != ${show(theirs)}`)
  const v = value(0)
  if (!alike(cloneDeep(v), lodashCloneDeep(v))) fails.push(`cloneDeep ${show(v)}`)
  const w = rnd() < 0.5 ? lodashCloneDeep(v) : value(0)
  if (isEqual(v, w) !== lodashIsEqual(v, w)) fails.push(`isEqual ${show(v)} ${show(w)}`)
}
for (const f of fails.slice(0, 10)) console.log(f)
console.log(`${cases} cases: ${fails.length} differences from lodash`)
process.exit(fails.length ? 1 : 0)
