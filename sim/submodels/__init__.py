"""One mechanism a module: its equation and source in the docstring, pure functions on arrays."""
