"""Unit tests per submodel, with closed-form expectations and explicit tolerances."""

import numpy as np
import pytest
from numerics import same_equation, submodel_values

from sim.kernels import incidents as incident_kernels
from sim.scenario.schema import (
    DeterrenceModel,
    DiplomacyModel,
    EscalationModel,
    IncidentModel,
    SanctionsModel,
    TensionModel,
    ThreatModel,
)
from sim.submodels import capability, deterrence, diplomacy, incidents, ladder, sanctions, tension, threat

THR = np.array([-np.inf, 20.0, 40.0, 55.0, 70.0, 85.0, 95.0, np.inf])


# ---- threat (Jervis) -----------------------------------------------------------------------
def _signal(reading, dlg):
    p = ThreatModel(reading=reading)
    one = np.ones((1, 1))
    own = threat.emitted(p, 30000 * one, 50000 * one, 0 * one, 0 * one)
    return threat.signal(p, one, own, one, one, dlg * one)[0, 0]


def test_threat_closed_form():
    p = ThreatModel()
    x = p.w_forces + p.w_exercises + p.w_capability * 0.5
    assert _signal("deterrence", 0.0) == pytest.approx(1 - np.exp(-x), abs=1e-12)


def test_spiral_reassurance_calms_deterrence_reading_does_not():
    assert _signal("spiral", 0.8) < _signal("spiral", 0.0)
    assert _signal("deterrence", 0.8) == _signal("deterrence", 0.0)


def test_threat_memory_is_exponential():
    t = np.array([[0.0]])
    for _ in range(10):
        t = threat.update(t, np.array([[1.0]]), np.array([[0.9]]))
    assert t[0, 0] == pytest.approx(1 - 0.9**10, abs=1e-12)


def test_cooperation_adds_half_the_arms_control_regime():
    assert threat.cooperation(np.array([[0.2]]), np.array([[0.4]]))[0, 0] == pytest.approx(0.4)


def test_trust_is_stationary_without_change_and_follows_cooperation():
    tr0 = np.array([[0.3]])
    c0 = np.array([[0.1]])
    assert threat.update_trust(tr0, tr0, c0, c0, 0.05, 0.5)[0, 0] == 0.3
    up = threat.update_trust(tr0, tr0, c0 + 0.4, c0, 0.05, 0.5)[0, 0]
    assert up == pytest.approx(0.3 + 0.05 * 0.5 * 0.4)  # a rise counts by the gain
    down = threat.update_trust(tr0, tr0, c0 - 0.2, c0, 0.05, 0.5)[0, 0]
    assert down == pytest.approx(0.3 - 0.05 * 0.2)  # a fall counts in full


# ---- deterrence (Kilgour-Zagare) -----------------------------------------------------------
def test_deterrence_margin_closed_form():
    """Denial by the contest success function (m D)^k / ((m D)^k + X^k), punishment by belief."""
    p = DeterrenceModel()
    belief = np.array([[0.6]])
    defender, attacker = np.array([[10000.0]]), np.array([30000.0])
    m = deterrence.margin(p, belief, defender, attacker, np.array([0.7]), 0.0)[0, 0]
    held = (p.defence_advantage * 10000) ** p.decisiveness
    denial = held / (held + 30000.0 ** p.decisiveness)
    assert denial == pytest.approx(0.5, abs=1e-12)  # 3:1 at the default advantage 3: even odds
    p_def = 1 - 0.4 * (1 - denial)
    v = p.stakes * 0.7
    assert m == pytest.approx(p_def - v / (v + 1), abs=1e-12)
    # more attackers lower the margin, more defenders raise it, smoothly
    less = deterrence.margin(p, belief, defender, attacker * 1.5, np.array([0.7]), 0.0)[0, 0]
    more = deterrence.margin(p, belief, defender * 1.5, attacker, np.array([0.7]), 0.0)[0, 0]
    assert less < m < more


def test_force_quality_and_defending_force():
    """Capability raises a force's worth with elasticity q; reinforcements scale with readiness
    and commitment."""
    assert deterrence.force_quality(4.0, 1.0, 0.5) == pytest.approx(2.0)
    assert deterrence.force_quality(1.0, 1.0, 0.5) == 1.0
    assert deterrence.defending_force(6000.0, 1.5, 1000.0, 5000.0, 0.5, 0.8) == pytest.approx(
        6000 * 1.5 + 1000 + 5000 * 0.4)
    assert deterrence.attacking_force(30000.0, 10000.0, 0.5, 1.2) == pytest.approx(42000.0)
    assert deterrence.denial_probability(0.0, 0.0, 3.0, 2.0) == 1.0  # nothing to deny
    assert deterrence.denial_probability(1000.0, 0.0, 3.0, 2.0) == 1.0
    assert deterrence.denial_probability(0.0, 1000.0, 3.0, 2.0) == 0.0


def test_shortfall_is_a_smooth_max():
    s = 0.1
    assert deterrence.shortfall(-1.0, s) == pytest.approx(1.0, abs=1e-4)
    assert deterrence.shortfall(1.0, s) == pytest.approx(0.0, abs=1e-4)
    assert deterrence.shortfall(0.0, s) == pytest.approx(s * np.log(2), rel=1e-12)


def test_tripwire_saturates():
    p = DeterrenceModel()
    z = np.zeros((1, 1))
    b0 = deterrence.belief_target(p, z, np.array([[0.0]]), z, z, 50000.0)[0, 0]
    b1 = deterrence.belief_target(p, z, np.array([[1000.0]]), z, z, 50000.0)[0, 0]
    binf = deterrence.belief_target(p, z, np.array([[1e9]]), z, z, 50000.0)[0, 0]
    assert b0 == 0.0
    assert b1 == pytest.approx(p.w_tripwire * (1 - np.exp(-1)), abs=1e-12)
    assert binf == pytest.approx(p.w_tripwire, abs=1e-12)


# ---- ladder (Kahn) -------------------------------------------------------------------------
def test_initial_rung_counts_thresholds():
    r = ladder.initial_rung(np.array([0.0, 20.0, 54.9, 55.0, 99.0]), THR[1:-1])
    assert r.tolist() == [0, 1, 2, 3, 6]


def test_ladder_moves_one_rung_across_thresholds_with_hysteresis():
    rung = np.array([[3, 3, 3, 3, 0, 6]], dtype=np.int8)
    ten = np.array([[90.0, 71.0, 50.0, 45.0, 100.0, 0.0]])
    new = ladder.step(rung, ten, THR, 6.0)
    # 90 >= 70: up one (not two); 71 >= 70: up; 50 >= 55-6: stays; 45 < 49: down; one step a time
    assert new.tolist() == [[4, 4, 3, 2, 1, 5]]


def test_miscalculation_only_from_rung_three_and_raises_tension_to_threshold():
    rung = np.array([[2, 3, 3]], dtype=np.int8)
    ten = np.array([[50.0, 60.0, 60.0]])
    high = np.array([[5, 1, 0]])
    new, t2 = ladder.miscalculate(rung, ten, high, THR, 1.0, np.zeros((1, 3)))
    assert new.tolist() == [[2, 4, 3]]
    assert t2.tolist() == [[50.0, 70.0, 60.0]]


# ---- incidents (Schelling) -----------------------------------------------------------------
def test_incident_rate_closed_form_and_saturation():
    p = IncidentModel()
    one = np.ones((1, 1))
    lam = incidents.rate(p, one, one, one, 0 * one, 0 * one, 0 * one, 1.0)[0, 0]
    x = p.base_rate
    assert lam == pytest.approx(p.max_rate * (1 - np.exp(-x / p.max_rate)), rel=1e-12)
    big = incidents.rate(p, 1e6 * one, 1e6 * one, 2 * one, 2 * one, 0 * one, 0 * one, 1.0)
    assert big[0, 0] <= p.max_rate + 1e-12
    damp = incidents.rate(p, one, one, one, 0 * one, one, one, 1.0)[0, 0]
    assert damp < lam


def test_incident_draws_match_poisson_and_severity_shares():
    from sim.kernels.streams import incidents_by_severity
    from sim.submodels import streams

    key = streams.key_of(1)
    lam = np.full((1, 200000), 0.8)
    replicates = np.arange(200000, dtype=np.uint64)
    ids = np.array([streams.stream_id("incidents:A-B")], dtype=np.uint64)
    shares = np.full(200000, 0.275), np.full(200000, 0.075)
    low, ser, high = incidents_by_severity(*key, replicates, ids, np.uint64(3), lam,
                                           submodel_values("incidents", 200000, p_serious=0.275,
                                                           p_high_risk=0.075))
    small = incidents.draw(key, replicates[:300], ids, 3, lam[:, :300], shares[0], shares[1])
    for a, b in zip(small, (low, ser, high), strict=True):  # the reference, draw for draw
        np.testing.assert_array_equal(a, b[:, :300])
    n = low + ser + high
    # mean within 5 standard errors of 0.8; shares within 5 SE of ELN's
    assert abs(n.mean() - 0.8) < 5 * np.sqrt(0.8 / n.size)
    tot = n.sum()
    for got, share in ((high.sum(), 0.075), (ser.sum(), 0.275)):
        assert abs(got / tot - share) < 5 * np.sqrt(share * (1 - share) / tot)


def test_compiled_incident_rate_is_the_equation():
    """The kernel evaluates submodels.incidents.expected on scalars: the array result, bit for bit
    (up to the transcendental functions' last bit where NumPy has its own: ``numerics``)."""
    rng = np.random.default_rng(3)
    N, P, R = 5, 4, 257
    act, ready, hyb = rng.random((N, R)) * 2, rng.random((N, R)), rng.random((N, R))
    act[2] = 0.0  # a side with no forces: no incidents
    pa, pb = np.array([0, 1, 2, 3]), np.array([4, 4, 4, 4])
    dlg, ac = rng.random((P, R)), rng.random((P, R))
    base, top, alpha, transp = (rng.random(R) + 0.1, rng.random(R) + 1.0, 1.0 + rng.random(R),
                                rng.random(R))
    values = submodel_values("incidents", R, base_rate=base, max_rate=top,
                             activity_exponent=alpha, transparency=transp)
    got = incident_kernels.expected_counts(act, ready, hyb, pa, pb, dlg, ac, values, 1.0)
    want = incidents.expected(base, top, alpha, transp, act[pa], act[pb], ready[pa] + ready[pb],
                              hyb[pa] + hyb[pb], dlg, ac, 1.0)
    assert same_equation(got, want)
    assert (got[2] == 0.0).all()


# ---- sanctions (HSE) -----------------------------------------------------------------------
def test_pressure_is_union_of_imposers():
    s = np.array([[0.5], [0.4], [0.0]])  # (N, R): two western imposers, one eastern target
    p = sanctions.pressure(s, np.array([True, True, False]))
    assert p[2, 0] == pytest.approx(1 - 0.5 * 0.6, abs=1e-12)
    assert p[0, 0] == 0.0


def test_growth_loss_closed_form():
    p = SanctionsModel()
    f, e, d = (np.array([[0.5]]), np.array([[0.2]]), np.array([[1.0]]))
    loss = sanctions.growth_loss(p, (f, e, d), np.array([[0.3]]), np.array([[0.4]]),
                                 np.array([[0.5]]))[0, 0]
    target = (p.cost_finance * 0.5 + p.cost_energy * 0.2 + p.cost_defence * 1.0)
    expect = target * (1 - p.partner_offset * 0.5) + 0.4 * p.imposer_cost * 0.3
    assert loss == pytest.approx(expect, rel=1e-12)


# ---- capability (perpetual inventory) ------------------------------------------------------
def test_capability_steady_state():
    k0 = capability.steady_stock(np.array([[80.0]]), 0.25, 0.08)
    assert k0[0, 0] == pytest.approx(250.0)
    cap, strat = k0.copy(), np.array([[0.0]])
    flow = 0.25 * 80.0 / 12
    for _ in range(12 * 200):
        cap, strat = capability.step(cap, strat, np.array([[flow]]), k0, np.array([[0.2]]),
                                     0.08, 1 / 12)
    assert cap[0, 0] == pytest.approx(250.0, rel=1e-9)
    assert strat[0, 0] == pytest.approx(0.2, rel=1e-6)


# ---- diplomacy and tension -----------------------------------------------------------------
def test_arms_control_erodes_above_threshold_and_rebuilds_with_dialogue():
    p = DiplomacyModel()
    ac = np.array([[0.5, 0.5]])
    new = diplomacy.arms_control(ac, np.array([[0.0, 1.0]]), np.array([[90.0, 30.0]]), p, 1.0)
    assert new[0, 0] < 0.5 < new[0, 1]


def test_dialogue_sought_in_a_crisis_when_trusted():
    calm = diplomacy.dialogue_target(np.array([0.2]), 0.5, np.array([0.5]), np.array([40.0]))
    crisis = diplomacy.dialogue_target(np.array([0.2]), 0.5, np.array([0.5]), np.array([90.0]))
    assert calm[0] == 0.2
    assert crisis[0] == pytest.approx(0.2 + 0.5 * 0.5 * 0.8)


def test_tension_relaxes_geometrically_and_clips():
    p = TensionModel()
    t = np.array([[20.0]])
    for _ in range(5):
        t = tension.step(t, np.array([[60.0]]), 0.25, np.zeros((1, 1)))
    assert t[0, 0] == pytest.approx(60 - 40 * 0.75**5, abs=1e-12)
    assert tension.step(t, t, 0.25, np.array([[500.0]]))[0, 0] == 100.0
    assert p.relaxation == 0.25


def test_escalation_threshold_validation():
    with pytest.raises(ValueError):
        EscalationModel(thresholds=(20, 10, 55, 70, 85, 95))


def test_percentiles_match_numpy():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sim.arrays import percentiles

    @settings(max_examples=50, deadline=None)
    @given(st.integers(1, 40), st.integers(0, 2**31))
    def check(n, seed):
        a = np.random.default_rng(seed).normal(size=(3, 4, n))
        qs = [0, 5, 25, 50, 75, 95, 100]
        want = np.percentile(a, qs, axis=-1)
        np.testing.assert_allclose(percentiles(a, qs), want, rtol=1e-12, atol=1e-12)
        # sorted in single precision, for series kept in it: within its rounding of the two
        # values each percentile interpolates (at most the largest of them times 2^-24) and of
        # the result
        single = percentiles(a, qs, sort_dtype=np.float32).astype(np.float32)
        np.testing.assert_allclose(single, want, rtol=2.0**-23, atol=2.0**-23 * np.abs(a).max())

    check()


def _rows(draw_kind: str, rng: np.random.Generator, rows: int, n: int) -> np.ndarray:
    """Rows of float32 values shaped as the recorded series are: smooth, discrete, mostly one
    value, heavy-tailed, clustered, with NaN or infinities."""
    normal = rng.normal(size=(rows, n))
    return {
        "smooth": normal,
        "rungs": rng.integers(0, 7, size=(rows, n)),
        "mostly_zero": np.where(rng.random((rows, n)) < 0.97, 0.0, normal),
        "heavy_tail": np.exp(5 * normal),
        "clustered": np.where(rng.random((rows, n)) < 0.5, 1e6, normal * 1e-3),
        "nan": np.where(rng.random((rows, n)) < 0.3, np.nan, normal),
        "infinite": np.where(rng.random((rows, n)) < 0.02, -np.inf, normal),
        "narrow": 1.0 + normal * 1e-7,
        "constant": np.full((rows, n), 2.5),
    }[draw_kind].astype(np.float32)


KINDS = ("smooth", "rungs", "mostly_zero", "heavy_tail", "clustered", "nan", "infinite",
         "narrow", "constant")


def test_selected_order_statistics_are_the_sorted_values():
    """Bucket selection gives, at every rank, the value sorting puts there (NaN last)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sim.kernels.order import order_statistics

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(KINDS), st.integers(1, 3000), st.integers(0, 2**31),
           st.lists(st.floats(0, 1), min_size=1, max_size=12))
    def check(kind, n, seed, where):
        rng = np.random.default_rng(seed)
        block = _rows(kind, rng, 4, n)
        block[rng.random(4) < 0.2] = np.nan  # now and then a row of NaN only
        ranks = np.unique((np.asarray(where) * (n - 1)).astype(np.int64))
        want = np.sort(block, axis=1)[:, ranks]
        out = np.empty((4, len(ranks)), dtype=np.float32)
        order_statistics(block, block.min(axis=1), block.max(axis=1), ranks, out)
        assert np.array_equal(out, want, equal_nan=True), (kind, n)

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_selected_percentiles_are_the_sorted_percentiles(kind):
    """The recorder's percentiles by selection equal those by sorting, value for value, at the
    recorder's size (many replicates: the buckets are bucketed again where they are full)."""
    from sim.arrays import percentiles, selected_percentiles

    block = _rows(kind, np.random.default_rng(5), 6, 10_000).reshape(2, 3, 10_000)
    for qs in ([5, 25, 50, 75, 95], [0, 100], [2.5, 50, 97.5]):
        with np.errstate(invalid="ignore"):  # -inf * 0 where a percentile sits on -inf
            want = percentiles(block, qs, sort_dtype=np.float32)
            got = selected_percentiles(block.copy(), qs)
        assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True), qs


# ---- rates over a step, the challenger's decisions (issue 23: arithmetic moved from the engine) --
def test_monthly_rates_compound_over_a_step():
    from sim.submodels.rates import kept_per_step, share_per_step

    assert share_per_step(0.5, 1) == 0.5 and share_per_step(0.5, 3) == 0.875
    assert share_per_step(0.0, 12) == 0.0 and share_per_step(1.0, 4) == 1.0
    assert kept_per_step(0.9, 2) == pytest.approx(0.81, abs=1e-15)
    # two steps of one month close what one step of two months closes
    one = share_per_step(0.3, 1)
    assert 1 - (1 - one) ** 2 == pytest.approx(share_per_step(0.3, 2), abs=1e-15)


def test_risk_factor_is_one_at_neutral_risk_and_rises_with_tolerance():
    from sim.submodels.decision import risk_factor

    assert risk_factor(1.5, 0.5) == 1.0
    assert risk_factor(1.0, 0.9) == pytest.approx(1.4) and risk_factor(1.0, 0.1) == pytest.approx(0.6)
    assert risk_factor(2.0, 0.0) == 0.0  # the cap on risk_weight keeps it at or above zero


def test_decision_transitions_ceasefire_then_attack_then_war():
    from sim.submodels.decision import held_in_conflict, transition

    rung = np.array([4, 5, 6, 5, 3, 5], dtype=np.int8)
    attack = np.array([True, True, False, False, True, False])
    settle = np.array([False, True, True, False, False, False])
    war = np.array([True, True, True, True, True, False])
    got = transition(rung, attack, settle, war)
    # 4 attacked: limited conflict (not war the same step); 5 settled: ceasefire to 4, no new
    # attack that step; 6 settled: 4; 5 with the war draw: 6; 3 attacked: 5; 5 held: 5
    assert got.tolist() == [5, 4, 4, 6, 5, 5]
    thresholds = np.array([-np.inf, 20.0, 35.0, 50.0, 65.0, 80.0, 90.0, np.inf])
    tension = np.full(6, 70.0)
    held = held_in_conflict(tension, got, thresholds[got])
    assert held.tolist() == [80.0, 70.0, 70.0, 90.0, 80.0, 80.0]
