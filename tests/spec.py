"The spec's code, read from ../shared/spec (never an edited copy)."
import os, re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_where = [Path(p) for p in [os.environ.get('FASTFLOW_SPEC', '')] if p] + [ROOT.parent/'shared'/'spec'/'python-execution-tutorial.md']
SPEC = next((p for p in _where if p.exists()), None)
if SPEC is None: raise FileNotFoundError(f"The spec is not at {[str(p) for p in _where]}: set FASTFLOW_SPEC")

def sections() -> dict:
    "Map each `## ` heading of the spec to the python code blocks under it."
    out, head = {}, None
    for part in re.split(r'^(## .*)$', SPEC.read_text(encoding='utf-8'), flags=re.M):
        if part.startswith('## '): head = part[3:].strip(); continue
        if head: out[head] = re.findall(r'```python\n(.*?)```', part, flags=re.S)
    return out

def block(heading_start: str, i: int = 0) -> str:
    "The `i`th python block under the first heading that starts with `heading_start`."
    return next(v for k, v in sections().items() if k.startswith(heading_start))[i]
