"""Models are freed: a sweep builds thousands of them (Mesa < 3.4.2 leaked every one)."""

import gc
import weakref

from sim.engine.model import FlashpointModel


def test_models_are_garbage_collected(invasion):
    refs = []
    for seed in range(30):
        m = FlashpointModel(invasion, replicates=2, seed=seed, record="summary")
        m.run(70)  # past the dated shocks, so Mesa's event list has fired and been reused
        refs.append(weakref.ref(m))
        del m
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
