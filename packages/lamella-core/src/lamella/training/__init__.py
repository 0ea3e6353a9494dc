"""The training engine: compile, fit, evaluate and predict, and the pure steps behind them."""
