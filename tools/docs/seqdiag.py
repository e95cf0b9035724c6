"""Render Mermaid `sequenceDiagram` text as a static inline SVG, so the docs need no JavaScript diagram library.

Supports the part of the syntax our docs use: participant/actor (with `as` aliases), messages
(`->>`, `-->>`, `->`, `-->`, `-x`, `--x`, `-)`, `--)`, optional `+`/`-` activation marks),
`Note over|left of|right of`, blocks (`loop`, `alt`/`else`, `opt`, `par`/`and`, `critical`, `break`, `rect`)
closed by `end`, `autonumber` and `%%` comments."""
import re
from html import escape

__all__ = ['parse', 'render_svg']

_msg_re = re.compile(r'^(?P<src>[^-+\s][^:]*?)\s*(?P<arrow>-->>|->>|-->|->|--x|-x|--\)|-\))\s*[+-]?\s*(?P<dst>[^:]+?)\s*(?::\s*(?P<text>.*))?$')
_note_re = re.compile(r'^note\s+(?P<pos>over|left of|right of)\s+(?P<who>[^:]+?)\s*:\s*(?P<text>.*)$', re.I)
_part_re = re.compile(r'^(participant|actor)\s+(?P<id>[^\s]+?)(?:\s+as\s+(?P<label>.+))?$')
_blocks = ('loop', 'alt', 'opt', 'par', 'critical', 'break', 'rect')
_mids = ('else', 'and', 'option')

def _label(s): return s.replace('<br>', '\n').replace('<br/>', '\n').strip()

def parse(src):
    "Parse sequence diagram text into `(participants, items)`; raises `ValueError` on lines it doesn't understand."
    parts, items = {}, []
    def part(pid, label=None):
        pid = pid.strip()
        if pid not in parts: parts[pid] = _label(label or pid)
        elif label: parts[pid] = _label(label)
        return pid
    lines = [l.strip() for l in src.strip().splitlines()]
    if not lines or lines[0] != 'sequenceDiagram': raise ValueError('not a sequenceDiagram')
    depth = 0
    for l in lines[1:]:
        if not l or l.startswith('%%') or l == 'autonumber' or l.startswith(('activate ', 'deactivate ')): continue
        if m := _part_re.match(l): part(m['id'], m['label']); continue
        if m := _note_re.match(l):
            items.append(('note', m['pos'].lower(), [part(o) for o in m['who'].split(',')], _label(m['text']))); continue
        word = l.split()[0].lower()
        if word in _blocks: depth += 1; items.append(('start', word, l[len(word):].strip())); continue
        if word in _mids: items.append(('mid', word, l[len(word):].strip())); continue
        if word == 'end':
            if not depth: raise ValueError(f'`end` without a block: {l!r}')
            depth -= 1; items.append(('end',)); continue
        if m := _msg_re.match(l):
            items.append(('msg', part(m['src']), part(m['dst']), m['arrow'], _label(m['text'] or ''))); continue
        raise ValueError(f'sequence diagram line not understood: {l!r}')
    if depth: raise ValueError('a block is missing its `end`')
    return parts, items

def _tw(s, px=7.2): return max((len(l) for l in s.split('\n')), default=0) * px

def _text(x, y, s, cls, anchor='middle'):
    lines = s.split('\n')
    spans = ''.join(f'<tspan x="{x:.0f}" dy="{0 if i==0 else 16}">{escape(l)}</tspan>' for i,l in enumerate(lines))
    return f'<text x="{x:.0f}" y="{y:.0f}" class="{cls}" text-anchor="{anchor}">{spans}</text>'

def render_svg(src):
    "SVG markup for the Mermaid sequence diagram `src`"
    parts, items = parse(src)
    ids = list(parts)
    gap = max([150] + [_tw(parts[i]) + 40 for i in ids] +
              [(_tw(it[4]) + 30) / max(1, abs(ids.index(it[1]) - ids.index(it[2]))) for it in items if it[0] == 'msg'])
    gap = min(gap, 320)
    pad, boxh = 20, 36
    xs = {p: pad + max(gap / 2, 60) + i * gap for i, p in enumerate(ids)}
    width = (xs[ids[-1]] if ids else 0) + max(gap / 2, 60) + pad
    body, y, stack = [], pad + boxh + 20, []
    for it in items:
        kind = it[0]
        if kind == 'msg':
            _, a, b, arrow, text = it
            nlines = text.count('\n') + 1
            y += 16 * (nlines - 1)
            dash = ' stroke-dasharray="4 3"' if arrow.startswith('--') else ''
            head = 'cross' if arrow.endswith('x') else 'open' if arrow.endswith((')', '>')) and not arrow.endswith('>>') else 'solid'
            if a == b:
                x = xs[a]
                body.append(_text(x + 8, y - 16 * nlines - 4, text, 'sd-msg', 'start'))
                body.append(f'<path d="M{x:.0f},{y-8:.0f} h40 v22 h-38" fill="none" class="sd-line"{dash} marker-end="url(#sd-{head})"/>')
                y += 48
            else:
                x1, x2 = xs[a], xs[b]
                body.append(_text((x1 + x2) / 2, y - 6 - 16 * (nlines - 1), text, 'sd-msg'))
                end = x2 - 2 if x2 > x1 else x2 + 2
                body.append(f'<line x1="{x1:.0f}" y1="{y:.0f}" x2="{end:.0f}" y2="{y:.0f}" class="sd-line"{dash} marker-end="url(#sd-{head})"/>')
                y += 40
        elif kind == 'note':
            _, pos, who, text = it
            lo, hi = min(xs[w] for w in who), max(xs[w] for w in who)
            w = max(_tw(text) + 20, hi - lo + 40 if len(who) > 1 else 0, 80)
            h = 16 * (text.count('\n') + 1) + 14
            x0 = (lo + hi) / 2 - w / 2 if pos == 'over' else lo + 12 if pos == 'right of' else lo - 12 - w
            body.append(f'<rect x="{x0:.0f}" y="{y-12:.0f}" width="{w:.0f}" height="{h}" class="sd-note"/>')
            body.append(_text(x0 + w / 2, y + 6, text, 'sd-note-text'))
            width = max(width, x0 + w + pad)
            y += h + 14
        elif kind == 'start':
            stack.append((y, it[1], it[2], []))
            y += 34
        elif kind == 'mid':
            stack[-1][3].append((y, it[2]))
            y += 30
        else:
            y0, word, label, mids = stack.pop()
            inset = 8 * len(stack)
            x0, x1 = pad / 2 + inset, width - pad / 2 - inset
            body.insert(0, f'<rect x="{x0:.0f}" y="{y0-4:.0f}" width="{x1-x0:.0f}" height="{y-y0-6:.0f}" class="sd-block"/>')
            body.append(f'<path d="M{x0:.0f},{y0+14:.0f} h{_tw(word)+14:.0f} l6,-6 v-12" class="sd-block-tag"/>')
            body.append(_text(x0 + 6, y0 + 10, word, 'sd-block-word', 'start'))
            if label: body.append(_text(x0 + _tw(word) + 30, y0 + 10, f'[{label}]', 'sd-block-label', 'start'))
            for ym, ml in mids:
                body.append(f'<line x1="{x0:.0f}" y1="{ym:.0f}" x2="{x1:.0f}" y2="{ym:.0f}" class="sd-block-sep"/>')
                if ml: body.append(_text((x0 + x1) / 2, ym + 16, f'[{ml}]', 'sd-block-label'))
            y += 20
    bottom = y + 4
    heads = []
    for p in ids:
        x, bw = xs[p], max(_tw(parts[p]) + 24, 90)
        heads.append(f'<line x1="{x:.0f}" y1="{pad+boxh:.0f}" x2="{x:.0f}" y2="{bottom:.0f}" class="sd-life"/>')
        for yy in (pad, bottom):
            heads.append(f'<rect x="{x-bw/2:.0f}" y="{yy:.0f}" width="{bw:.0f}" height="{boxh}" rx="4" class="sd-actor"/>')
            heads.append(_text(x, yy + 23, parts[p], 'sd-actor-text'))
    height = bottom + boxh + pad
    defs = ('<defs>'
            '<marker id="sd-solid" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="sd-head"/></marker>'
            '<marker id="sd-open" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" fill="none" class="sd-line"/></marker>'
            '<marker id="sd-cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" markerHeight="8"><path d="M0,0 L10,10 M10,0 L0,10" class="sd-line"/></marker>'
            '</defs>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="seqdiag" role="img" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">{defs}{"".join(heads)}{"".join(body)}</svg>')
