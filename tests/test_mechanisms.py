"""Issue 24: the mechanisms that hold out of sample, each tested by its effect on common random
numbers (direction and rough size), not only by bounds.

1. the response to demonstrated aggression (Walt 1987) moves allied spending after 2022;
2. no constant cites information from after the fit window (to 2019);
3. deterrence by denial reads the local force ratio and capability;
4. the escalation hazard is smooth in its parameters;
5. the tension index does not move by membership, and tension stays below the conflict rungs
   while the ladder does;
7. armed conflict is material in three library scenarios, for stated reasons, and not in the
   hindcast.
"""

import ast
import inspect
import re
import typing
from pathlib import Path

import numpy as np
import pydantic
import pytest

import sim
from sim import FlashpointModel, load_scenario, run
from sim.calibration.parameters import CALIBRATED
from sim.scenario import schema
from sim.submodels import threat

ROOT = Path(__file__).resolve().parent.parent
AFTER_THE_WINDOW = re.compile(r"\b20(2\d|[3-9]\d)\b")
"""A year after 2019, the last year of the fit window."""


# ---- 1. demonstrated aggression ------------------------------------------------------------------
def test_demonstrated_aggression_fades_by_its_half_life():
    keep = threat.aggression_kept(48.0, 1.0)
    assert keep ** 48 == pytest.approx(0.5, rel=1e-12)
    assert threat.faded_aggression(np.array([4.0]), keep ** 12)[0] == pytest.approx(
        4.0 * 2 ** -0.25, rel=1e-12)


def test_aggression_raises_the_threat_every_exposed_actor_reads():
    p = schema.ThreatModel()
    base = threat.signal(p, 1.0, 0.2, 1.0, 1.0, 0.0, aggression_j=0.0, exposure_i=1.0)
    near = threat.signal(p, 1.0, 0.2, 1.0, 1.0, 0.0, aggression_j=1.0, exposure_i=1.0)
    far = threat.signal(p, 1.0, 0.2, 1.0, 1.0, 0.0, aggression_j=1.0, exposure_i=0.5)
    assert base < far < near
    assert -np.log(1 - near) == pytest.approx(-np.log(1 - base) + p.w_aggression, rel=1e-9)


def _spending(sets, names=("NATO", "Estonia", "Poland", "Finland")):
    """Median spending (% of GDP) in December 2021 and December 2024 of the hindcast."""
    m = FlashpointModel(load_scenario("historical-2014", sets), replicates=60, seed=1,
                        record="summary")
    at = {}
    while m.steps < m.last_step:
        m.run_for(1)
        when = m.date_of(m.steps)
        if when.month == 1 and when.year in (2022, 2025):
            at[when.year] = np.median(m.state.spending_pct_gdp, axis=1)
    rows = [m.topology.index[n] for n in names]
    return at[2025][rows] - at[2022][rows]


def test_the_2022_invasion_moves_allied_spending_through_the_threat_it_demonstrates():
    """Mechanism on against off (w_aggression 0), common random numbers. The hindcast scripts no
    pledge or share for these actors after 2021 (Finland's comes with its accession, and is in
    both runs), so what spending does after February 2022 is the mechanism's.

    On the shipped posterior the effect is small but positive: the data to 2019 put the budgets'
    threat threshold high (posterior median ~0.31) and the memory of aggression short (half-life
    ~19 months), because the allies' answer to 2014 was modest (docs/calibration.md). Where
    budgets answer lesser threats (threshold 0.15) a strong reading of aggression is material.
    """
    events = load_scenario("historical-2014").events
    for ev in events:
        if ev.date >= "2022":
            for eff in ev.effects:
                actor, var = eff.target.split(".", 1)
                assert not (actor in ("NATO", "Estonia", "Latvia", "Lithuania", "Poland")
                            and var in ("pledge_pct_gdp", "spending_pct_gdp", "milex_usd_bn"))
    off = _spending(["submodels.threat.w_aggression=0"])
    assert (np.abs(off[:3]) < 0.05).all()  # without it, NATO and the frontline barely move
    fitted = _spending([])
    assert (fitted >= off - 1e-3).all() and (fitted[:3] > off[:3]).all()
    low = "submodels.arms.threat_threshold=0.15"
    off = _spending(["submodels.threat.w_aggression=0", low])
    grave = _spending(["submodels.threat.w_aggression=2", low])
    assert (grave[:3] > off[:3]).all()  # Finland's answer is its accession pledge's
    assert grave[0] - off[0] > 0.3  # NATO: +0.3 pp or more
    assert grave[1] - off[1] > 0.1 and grave[2] - off[2] > 0.1  # Estonia, Poland: +0.1 or more


# ---- 2. nothing from after the fit window in any constant --------------------------------------
def _field_texts():
    models = [obj for _, obj in inspect.getmembers(schema, inspect.isclass)
              if issubclass(obj, pydantic.BaseModel) and obj.__module__ == schema.__name__]
    for model in models:
        for name, info in model.model_fields.items():
            yield f"{model.__name__}.{name}", info.description or ""


def _constant_docstrings():
    for path in sorted((ROOT / "sim" / "submodels").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        yield f"{path.name} (module)", ast.get_docstring(tree) or ""
        body = tree.body
        for node, after in zip(body, body[1:], strict=False):
            if (isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)):
                yield f"{path.name}:{node.lineno}", str(after.value.value)
            if isinstance(node, ast.FunctionDef):
                yield f"{path.name}:{node.name}", ast.get_docstring(node) or ""


def test_no_constant_cites_a_year_after_the_fit_window():
    """Events through 2024 are inputs; no default, prior or mechanism may rest on them."""
    texts = [*_field_texts(), *_constant_docstrings(),
             *((f"calibrated {c.path}", c.reason) for c in CALIBRATED)]
    cited = [(where, AFTER_THE_WINDOW.findall(text)) for where, text in texts
             if AFTER_THE_WINDOW.search(text) and "draft 2020-12" not in text]
    assert cited == []
    assert len(texts) > 250  # the scan reads the schema's fields and the submodels' constants


def test_war_footing_prior_rests_on_data_to_2019():
    description = schema.ArmsModel.model_fields["war_pct_gdp"].description
    assert "data/milex_gdp.csv" in description and schema.ArmsModel().war_pct_gdp < 6


# ---- 3. deterrence by denial and punishment ---------------------------------------------------
def _outcomes(name, sets=(), R=200, seed=3):
    return run(load_scenario(name, list(sets)), seed=seed, replicates=R,
               record="summary").outcomes


def test_russian_forces_near_the_baltic_lower_the_margins():
    base = _outcomes("baseline")
    more = _outcomes("baseline", ["actors.Russia.posture.deployment_troops=40000"])
    drop = base["Estonia.final_denial"] - more["Estonia.final_denial"]
    assert (drop > 0).all() and drop.median() > 0.1  # every world, by 0.1 or more in most
    drop = (more["Estonia.min_deterrence_margin"] - base["Estonia.min_deterrence_margin"]).mean()
    assert drop < -0.03
    built = _outcomes("kaliningrad-buildup")
    assert (built["Estonia.min_deterrence_margin"] < base["Estonia.min_deterrence_margin"]).mean() > 0.95


def test_capability_bought_by_spending_raises_a_frontline_states_margin():
    base = _outcomes("baseline")
    rich = _outcomes("baseline", ["actors.Estonia.military.spending_pct_gdp=5"])
    gain = rich["Estonia.final_capability_usd_bn"] / base["Estonia.final_capability_usd_bn"]
    assert gain.mean() > 1.3  # ten years of procurement at 5 %
    assert (rich["Estonia.final_deterrence_margin"] > base["Estonia.final_deterrence_margin"]).all()
    assert (rich["Estonia.final_denial"] - base["Estonia.final_denial"]).mean() > 0.02


# ---- 4. a smooth escalation hazard -------------------------------------------------------------
def test_the_chance_of_a_fait_accompli_moves_smoothly_with_its_parameters():
    """No cliff: over a grid of attack_margin and of US commitment the chance of a fait
    accompli changes by small steps, monotonically within noise (common random numbers)."""
    def share(sets):
        o = _outcomes("hollow-alliance", sets, R=300, seed=5)
        return o["fait_accompli_month"].notna().mean()
    margins = [share([f"submodels.escalation.attack_margin={a}"]) for a in
               (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)]
    assert margins[0] > margins[-1] + 0.3
    assert max(np.abs(np.diff(margins))) < 0.2  # the old threshold: 1.0 to 0.0 in one step
    assert all(b <= a + 0.03 for a, b in zip(margins, margins[1:], strict=False))
    # a parameter far from any threshold still moves the chance a little, never exactly none
    calm = _outcomes("baseline", R=400, seed=5)["fait_accompli_month"].notna().mean()
    assert 0.0 < calm < 0.05


# ---- 5. the index and the ladder agree ----------------------------------------------------------
def test_tension_stays_below_limited_conflict_while_the_ladder_does():
    m = FlashpointModel("invasion-2022", replicates=100, seed=2, record="summary")
    conflict = m.thresholds[5]
    for _ in range(m.last_step):
        m.run_for(1)
        assert (m.state.tension[m.state.rung < 5] < conflict).all()
        assert (m.state.tension[m.state.rung >= 5] >= conflict).all()


def test_an_accession_moves_the_index_only_through_behaviour():
    """With Finland and Sweden's accessions put off beyond the run the hindcast's tension index
    changes only through what their membership makes actors do: at the accession itself the
    index does not jump."""
    on = FlashpointModel("historical-2014", replicates=20, seed=1, record="summary")
    off = FlashpointModel(load_scenario("historical-2014", ["actors.Finland.joins=2099-01"]),
                          replicates=20, seed=1, record="summary")
    for model in (on, off):
        model.run(110)  # to February 2023, before Finland joins
    before = on.tension_index - off.tension_index
    on.run(1)
    off.run(1)  # Finland joins in one of them
    assert np.array_equal(on.pair_weight, off.pair_weight)
    assert np.abs((on.tension_index - off.tension_index) - before).max() < 0.5


# ---- 7. escalation that can happen, for stated reasons ------------------------------------------
@pytest.mark.parametrize("name", ["hollow-alliance", "baltic-buildup", "war-overreach"])
def test_armed_conflict_is_material_where_the_library_says_why(name):
    o = _outcomes(name, R=300, seed=1)
    assert o["fait_accompli_month"].notna().mean() > 0.05
    text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
    assert "ASSUMPTION" in text and "model's" in text  # the reasons, and who decides


def test_the_hindcast_stays_below_five_percent():
    """P(some pair reaches limited conflict by 2024) in the hindcast, on the posterior's worlds
    (R = 1,000: a standard error of 0.006 at 5 %)."""
    o = _outcomes("historical-2014", R=1000, seed=1)
    assert 0.0 < o["fait_accompli_month"].notna().mean() < 0.05


def test_variables_declare_the_new_state():
    assert {"aggression", "denial"} <= {v.name for v in sim.VARIABLES}
    assert typing.get_type_hints(schema.Military)["aggression"] is float
