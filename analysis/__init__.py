"""Analysis built on sim's public API: parameter sweeps, sensitivity analysis, figures.

``analysis.sweeps`` (sweep files, samplers, resumable chunked runs on processes or Dask),
``analysis.sensitivity`` (Sobol, Morris, response tables), ``analysis.plots`` (every figure of a
run, a comparison or a sweep).
"""
