"js/fast-object.js (X6's merge, cloneDeep and isEqual, swapped in by the bundles' build) gives lodash's results: a seeded fuzz in Node."
import shutil, subprocess
import pytest
from conftest import ROOT

def test_fast_object_matches_lodash():
    node = shutil.which('node')
    if node is None: pytest.fail('node is needed (npm installs the bundles\' build tools and the browser tests\' htmx)')
    r = subprocess.run([node, str(ROOT/'js'/'check-fast-object.mjs'), '20000'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '20000 cases: 0 differences' in r.stdout
