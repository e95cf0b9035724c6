"""Readable signatures in `show_doc` entries: nbdev 2.4 writes every callable as `def Name(...)`, dataclass defaults as
`<factory>`, `Optional[X]` as a bare `Optional`, module paths in annotations, and markdown links inside the code block.
This rewrites the signature from the object itself: `class` for classes, `[]` for factories, `X | None`, short names."""
import dataclasses, importlib, inspect, re, typing
from types import NoneType, UnionType

_src_re = re.compile(r'\[source\]\((?:[^)\s]*?/)?blob/[^/\s]+/([\w/.-]+?)\.py(?:#L\d+)?\)')
_head_re = re.compile(r'^#+\s+(\S+)\s*$', re.M)
_code_re = re.compile(r'```python\n(.*?)\n```', re.S)
_mdlink_re = re.compile(r'\[(`?)([^\]`]+)\1\]\([^)\s]*\)')
_qual_re = re.compile(r'\b(?:[a-z_]\w*\.)+(?=[A-Z]\w*)')  # `fastflow.core.FlowEvent` -> `FlowEvent`

def _obj(md):
    "The object a show_doc entry documents, from its heading and source link (None if it can't be imported)"
    src, head = _src_re.search(md), _head_re.search(md)
    if not (src and head): return None
    try: o = importlib.import_module(src[1].replace('/', '.'))
    except Exception: return None
    for part in head[1].split('.'):
        o = inspect.getattr_static(o, part, None) if inspect.isclass(o) else getattr(o, part, None)
        if isinstance(o, (staticmethod, classmethod)): o = o.__func__
        if isinstance(o, property): o = o.fget
        if o is None: return None
    return o

def fmt_annotation(a) -> str:
    "An annotation as a reader writes it: `int | None`, `list[str]`, `FlowExecutor`"
    if a is NoneType or a is None: return 'None'
    origin = typing.get_origin(a)
    if origin in (typing.Union, UnionType): return ' | '.join(fmt_annotation(o) for o in typing.get_args(a))
    if isinstance(a, type) and not typing.get_args(a): return a.__name__
    if isinstance(a, str): return a
    return _qual_re.sub('', str(a))

def _default(p, fields):
    f = fields.get(p.name)
    if f is not None and f.default_factory is not dataclasses.MISSING:
        try: return repr(f.default_factory())  # what a new instance gets
        except Exception: return f'{getattr(f.default_factory, "__name__", "factory")}()'
    return repr(p.default)

def _param(p, fields):
    s = {p.VAR_POSITIONAL: '*', p.VAR_KEYWORD: '**'}.get(p.kind, '') + p.name
    if p.annotation is not p.empty: s += ':' + fmt_annotation(p.annotation)
    if p.default is not p.empty: s += '=' + _default(p, fields)
    return s

def _fix_code(code, obj):
    "Patch nbdev's rendering, keeping its layout and docments comments"
    try: sig = inspect.signature(obj)
    except (TypeError, ValueError): sig = None
    fields = {f.name: f for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else {}
    out = []
    for line in code.splitlines():
        body, hash_, comment = line.partition(' # ')
        body = _qual_re.sub('', body.replace(':NoneType=', '='))
        for p in (sig.parameters.values() if sig else []):
            if p.default is not p.empty:
                body = re.sub(rf'(?<![\w.])({re.escape(p.name)}(?::[^=,]*)?)=<factory>', lambda m: f'{m[1]}={_default(p, fields)}', body)
            if p.annotation is not p.empty:
                body = re.sub(rf'(?<![\w.]){re.escape(p.name)}:(?:Optional|Union)\b(?=[=,)\s]|$)', _param(p, {}).split('=')[0], body)
        out.append(body + hash_ + _mdlink_re.sub(r'\1\2\1', comment))
    code = '\n'.join(out)
    if inspect.isclass(obj): code = re.sub(r'^def ', 'class ', code).replace(')->None:', '):')
    return code

def _dataclass_code(obj):
    "A dataclass with docments on its fields: one field a line, each with its comment"
    from fastcore.docments import docments
    docs = {}
    for c in reversed([c for c in obj.__mro__ if dataclasses.is_dataclass(c)]):  # a field's comment may be on a base class
        docs.update({k: v for k, v in docments(c).items() if v})
    if not any(v for k, v in docs.items() if k != 'return'): return None
    fields = {f.name: f for f in dataclasses.fields(obj)}
    lines = [f'    {_param(p, fields)},' + (f' # {docs[n]}' if docs.get(n) else '')
             for n, p in inspect.signature(obj).parameters.items()]
    return f'class {obj.__name__}(\n' + '\n'.join(lines) + '\n):'

def clean_show_doc(md:str) -> str:
    "A show_doc markdown output with a readable signature"
    m = _code_re.search(md)
    if not m: return md
    obj = _obj(md)
    if obj is None: code = _mdlink_re.sub(r'\1\2\1', m[1])
    elif inspect.isclass(obj) and dataclasses.is_dataclass(obj) and (dc := _dataclass_code(obj)): code = dc
    else: code = _fix_code(m[1], obj)
    return md[:m.start(1)] + code + md[m.end(1):]
