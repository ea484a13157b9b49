"""The parameters as the kernels take them: named tuples generated from the schema.

One named tuple a submodel (``ThreatValues``, ``DeterrenceValues`` ...), its fields the
submodel's real-valued parameters in the schema's order (:func:`sim.scenario.fields.real_fields`),
each an (R,) float array; ``DoctrineValues`` holds the actors' doctrine, each field (N, R); and
:class:`Rates` the per-step rates derived from them once a run. :class:`sim.engine.params.Params`
builds them once a run; a kernel takes one as a plain tuple (Numba's dispatcher types a plain
tuple of arrays about 2.5 us faster a call than a named one) and names it again inside
(``p = ThreatValues(*threat)``), so every parameter is read by name (``p.forces_ref[r]``) and
no order is ever written by hand.
"""

from __future__ import annotations

import typing
from collections import namedtuple

from ..scenario.fields import real_fields
from ..scenario.schema import Doctrine, Submodels

SUBMODEL_SCHEMAS = {name: typing.get_type_hints(Submodels)[name] for name in Submodels.model_fields}
"""Each submodel's schema class, by its name under ``submodels:``."""

VALUES = {name: namedtuple(f"{name.title()}Values", real_fields(model))
          for name, model in SUBMODEL_SCHEMAS.items()}
"""Each submodel's named tuple of parameters, by the submodel's name."""

TensionValues = VALUES["tension"]
ThreatValues = VALUES["threat"]
ArmsValues = VALUES["arms"]
DeterrenceValues = VALUES["deterrence"]
EscalationValues = VALUES["escalation"]
IncidentsValues = VALUES["incidents"]
SanctionsValues = VALUES["sanctions"]
DiplomacyValues = VALUES["diplomacy"]
ExternalValues = VALUES["external"]
DecisionsValues = VALUES["decisions"]

DoctrineValues = namedtuple("DoctrineValues", real_fields(Doctrine))
"""The actors' doctrine, each field an (N, R) array (``grievance`` NaN where ``auto``)."""

Rates = namedtuple("Rates", [
    "adjust_step", "memory_step", "trust_step", "relaxation_step", "recovery_step",
    "belief_keep", "aggression_keep", "depreciation", "risk_tolerance", "risk_factor"])
"""What a step takes of the monthly parameters, built once a run (:func:`sim.engine.params.rates`).

``adjust_step`` and ``memory_step`` (N, R): the share of a posture's gap closed and the share of
perceived threat kept over one step, by actor; ``trust_step``, ``relaxation_step`` and
``recovery_step`` (R,): the share of the gap that trust, tension and commitment close in one step;
``belief_keep`` (R,): the share of the Article 5 belief kept; ``aggression_keep`` (R,): the
share of demonstrated aggression remembered; ``depreciation`` (R,) a year;
``risk_tolerance`` (R,): the most risk-tolerant challenger's; ``risk_factor`` (R,): how it scales
the challenger's value of a fait accompli (:func:`sim.submodels.decision.risk_factor`)."""
