"""The Mesa model: topology, state, agents and their decision rules, the step's phases, recording."""
