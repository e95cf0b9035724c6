// The lazily loaded ELK of the page bundle (built to fastflow/static/fastflow-elk.js; see elk-lazy.js).
import ELK from 'elkjs/lib/elk.bundled.js'

window.fastflowELK ||= ELK
