// Faster drop-ins for lodash's `cloneDeep`, `merge` and `isEqual` on plain data, for X6's ObjectExt (swapped in
// by build.mjs). X6 clones and merges a cell's whole state when the cell is made and on every change;
// its state is JSON-like (plain objects, arrays, numbers, strings), where lodash's generic code is
// slow. Anything else (class instances, null-prototype objects, symbol keys, typed arrays, cycles,
// `__proto__` / `constructor` keys) is left to lodash itself, so results are always lodash's.

import { cloneDeep as lodashCloneDeep, merge as lodashMerge, isEqual as lodashIsEqual } from 'lodash-es'

const OBJ = Object.prototype
const hasOwn = OBJ.hasOwnProperty
const MAX_DEPTH = 64
const NOT_PLAIN = {}

// a value the fast paths handle: a primitive, a function (copied by reference, as lodash does when
// nested), an array or an object of Object.prototype with string keys only, to MAX_DEPTH; for merge,
// also (nested) class instances, which lodash's merge copies by reference
function check(v, depth, merging = false) {
  if (v === null || typeof v !== 'object') return
  if (depth > MAX_DEPTH) throw NOT_PLAIN
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN
    for (let i = 0; i < v.length; i++) check(v[i], depth + 1, merging)
    return
  }
  if (Object.getPrototypeOf(v) !== OBJ) {
    if (merging && depth > 0 && opaque(v)) return
    throw NOT_PLAIN
  }
  if (Object.getOwnPropertySymbols(v).length) throw NOT_PLAIN
  for (const k in v) {
    if (k === '__proto__' || k === 'constructor' || !hasOwn.call(v, k)) throw NOT_PLAIN
    check(v[k], depth + 1, merging)
  }
}

// an object lodash's merge takes as it is: not a plain object (of any realm), typed array or arguments
const objectSource = Function.prototype.toString.call(Object)
function opaque(v) {
  const p = Object.getPrototypeOf(v)
  if (p === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || isArgs(v)) return false
  const C = hasOwn.call(p, 'constructor') && p.constructor
  return !(typeof C === 'function' && Function.prototype.toString.call(C) === objectSource)
}

// a deep copy of plain data, checked as it goes (one walk): throws NOT_PLAIN where `check` would
function cloneChecked(v, depth) {
  if (v === null || typeof v !== 'object') return v
  if (depth > MAX_DEPTH) throw NOT_PLAIN
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN
    const out = new Array(v.length)
    for (let i = 0; i < v.length; i++) out[i] = cloneChecked(v[i], depth + 1)
    return out
  }
  if (Object.getPrototypeOf(v) !== OBJ || Object.getOwnPropertySymbols(v).length) throw NOT_PLAIN
  const out = {}
  for (const k in v) {
    if (k === '__proto__' || k === 'constructor' || !hasOwn.call(v, k)) throw NOT_PLAIN
    out[k] = cloneChecked(v[k], depth + 1)
  }
  return out
}

/** lodash's cloneDeep, fast for plain data. */
export function cloneDeep(value) {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? lodashCloneDeep(value) : value
  try { return cloneChecked(value, 0) } catch (e) { if (e === NOT_PLAIN) return lodashCloneDeep(value); throw e }
}

const same = (a, b) => a === b || (a !== a && b !== b)
const isLength = (n) => typeof n === 'number' && n > -1 && n % 1 === 0 && n <= Number.MAX_SAFE_INTEGER

// lodash's assignMergeValue
function assign(object, key, value) {
  if ((value !== undefined && !same(object[key], value)) || (value === undefined && !(key in object))) object[key] = value
}

// lodash's baseMerge / baseMergeDeep for a plain source. `checking`: a source not checked yet, checked as
// it is merged (throws NOT_PLAIN where `check(source, depth, true)` would), into a target whose every
// container the merge made itself, so that a throw halfway leaves nothing behind once it is emptied
function mergeInto(object, source, checking = false, depth = 0) {
  if (object === source) return
  const arr = Array.isArray(source)
  let keys = null
  if (checking) {
    if (depth > MAX_DEPTH || Object.getPrototypeOf(source) !== (arr ? Array.prototype : OBJ)) throw NOT_PLAIN
    if (!arr) {
      if (Object.getOwnPropertySymbols(source).length) throw NOT_PLAIN
      keys = []
      for (const k in source) {
        if (k === '__proto__' || k === 'constructor' || !hasOwn.call(source, k)) throw NOT_PLAIN
        keys.push(k)
      }
    }
  } else if (!arr) keys = Object.keys(source)
  for (let k = 0, n = arr ? source.length : keys.length; k < n; k++) {
    const key = arr ? k : keys[k]
    const src = source[key]
    if (src === null || typeof src !== 'object') { assign(object, key, src); continue } // functions too: by reference
    const srcArr = Array.isArray(src)
    if (!srcArr && Object.getPrototypeOf(src) !== OBJ) {
      if (checking && !opaque(src)) throw NOT_PLAIN
      assign(object, key, src) // a class instance
      continue
    }
    const obj = object[key]
    let next
    if (srcArr) {
      if (Array.isArray(obj)) next = obj
      else if (obj != null && typeof obj === 'object' && isLength(obj.length)) next = Array.from({ length: obj.length }, (_, i) => obj[i])
      else next = []
    } else next = obj !== null && typeof obj === 'object' && !isArgs(obj) ? obj : {}
    mergeInto(next, src, checking, depth + 1)
    assign(object, key, next)
  }
}
const isArgs = (v) => OBJ.toString.call(v) === '[object Arguments]'

// a new, empty plain object (as X6 merges a cell's defaults and metadata into): all a merge into it
// writes is its own, so a source found not plain halfway leaves nothing behind once emptied
const fresh = (o) => Object.getPrototypeOf(o) === OBJ && Object.getOwnPropertyNames(o).length === 0 && !Object.getOwnPropertySymbols(o).length
const plainOrNull = (s) => s == null || (typeof s === 'object' && Object.getPrototypeOf(s) === OBJ)

/** lodash's merge, fast when the sources are plain data. */
export function merge(object, ...sources) {
  if (object === null || typeof object !== 'object') return lodashMerge(object, ...sources)
  if (fresh(object) && sources.every(plainOrNull)) {
    // one walk of each source (checked as it is merged), not a check and then a merge
    try {
      for (const s of sources) if (s != null) mergeInto(object, s, true)
      return object
    } catch (e) {
      if (e !== NOT_PLAIN) throw e
      for (const k of Object.keys(object)) delete object[k]
      return lodashMerge(object, ...sources)
    }
  }
  try {
    for (const s of sources) check(s, 0, true)
    if (isArgs(object)) throw NOT_PLAIN
  } catch (e) { if (e === NOT_PLAIN) return lodashMerge(object, ...sources); throw e }
  for (const s of sources) if (s != null) mergeInto(object, s)
  return object
}

const plainOrArray = (v) => Object.getPrototypeOf(v) === (Array.isArray(v) ? Array.prototype : OBJ)

function equal(a, b, depth) {
  if (a === b || (a !== a && b !== b)) return true
  const oa = a !== null && typeof a === 'object', ob = b !== null && typeof b === 'object'
  if (!oa && !ob) return false
  // a boxed primitive, a Date, a class instance...: lodash's own rules
  if ((oa && !plainOrArray(a)) || (ob && !plainOrArray(b)) || depth > MAX_DEPTH) throw NOT_PLAIN
  if (!oa || !ob) return false
  const arr = Array.isArray(a)
  if (arr !== Array.isArray(b)) return false
  if (arr) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i], depth + 1)) return false
    return true
  }
  if (Object.getOwnPropertySymbols(a).length || Object.getOwnPropertySymbols(b).length) throw NOT_PLAIN
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (!hasOwn.call(b, k) || !equal(a[k], b[k], depth + 1)) return false
  return true
}

/** lodash's isEqual, fast for plain data. */
export function isEqual(a, b) {
  try { return equal(a, b, 0) } catch (e) { if (e === NOT_PLAIN) return lodashIsEqual(a, b); throw e }
}
