"""Every `pattern` of a page's form is a valid regular expression as browsers compile it today (the `v` flag, in
which a bare `-` at the end of a character class is an error), so no field logs an error and skips its check."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERN = re.compile(r'pattern="([^"]+)"')


def test_form_patterns_compile_with_the_v_flag():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (the frontend's build needs it too)")
    patterns = {m.group(1) for path in ROOT.glob("**/templates/**/*.html") if "node_modules" not in path.parts
                for m in PATTERN.finditer(path.read_text())}
    assert patterns, "the release form has a pattern"
    script = "for (const p of JSON.parse(process.argv[1])) new RegExp('^(?:' + p + ')$', 'v');"
    done = subprocess.run([node, "-e", script, json.dumps(sorted(patterns))], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
