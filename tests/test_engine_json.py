"The wire encoding: numpy values without importing numpy, and what the encoder does with hostile values."
import json, sys, types
import pytest
from fastflow.core import to_json, _encode, register_json

def test_numpy_is_looked_up_never_imported(monkeypatch):
    fake = types.ModuleType('numpy')
    class ndarray:
        def __init__(self, xs): self.xs = xs
        def tolist(self): return list(self.xs)
    class generic:
        def __init__(self, x): self.x = x
        def item(self): return self.x
    fake.ndarray, fake.generic = ndarray, generic
    class Later: pass
    assert to_json(Later()).startswith('"<')  # no numpy in sys.modules: the fallback
    monkeypatch.setitem(sys.modules, 'numpy', fake)
    assert to_json({'a': ndarray([1, float('nan')]), 's': generic(3)}) == '{"a":[1,"NaN"],"s":3}'

def test_real_numpy_when_present():
    np = sys.modules.get('numpy')
    if np is None: np = pytest.importorskip('numpy')
    assert to_json({'a': np.arange(3), 'f': np.float32(0.5), 'n': np.float64('nan'), 'm': np.array([[1.5, np.inf]])}) == \
        '{"a":[0,1,2],"f":0.5,"n":"NaN","m":[[1.5,"Infinity"]]}'

@pytest.mark.parametrize('value', [{'k': float('nan')}, [1e308*10], {'s': '\udcff'}, {(1,): 2}, 'x'*10, {1.5: 'float key'}])
def test_encode_always_gives_strict_utf8_json(value):
    text = _encode(value)
    text.encode('utf-8')
    json.loads(text, parse_constant=lambda c: pytest.fail(c))

def test_a_str_that_raises_still_encodes():
    class Bad:
        def __str__(self): raise RuntimeError
    assert to_json(Bad()) == '"<unprintable Bad>"'

def test_register_json_covers_subclasses():
    class Base: pass
    class Sub(Base): pass
    register_json(Base, lambda o: type(o).__name__)
    assert to_json([Base(), Sub()]) == '["Base","Sub"]'
