// ELK, bundled in: the widget's build (one ES module for anywidget, which can fetch no other file).
// The page's build swaps this module for elk-lazy.js (see build.mjs), which loads ELK when a
// layout first needs it. Both export `loadELK()`: a promise of elkjs's ELK class.

import ELK from 'elkjs/lib/elk.bundled.js'

export const loadELK = () => Promise.resolve(ELK)
