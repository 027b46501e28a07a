"""The rules, one module per family; :mod:`qbitrr_tui.engine.policy` orders them."""
