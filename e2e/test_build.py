"""The built filter stays within its size budget: Higress pulls it into
every gateway pod, and the README promises under 600 KB."""
import os

import harness as h

BUDGET = 600 * 1024


def test_release_wasm_is_under_600_kb():
    size = os.path.getsize(h.WASM)
    assert size < BUDGET, f"clawgate.wasm is {size} bytes, over the {BUDGET}-byte budget (is wasm-opt installed?)"
