"The spec's code, read from ../shared/spec (never an edited copy)."
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = next(p for p in [ROOT.parent/'shared'/'spec'/'python-execution-tutorial.md',
                        ROOT/'..'/'shared'/'spec'/'python-execution-tutorial.md'] if p.exists())

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
