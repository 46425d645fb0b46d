"""Benchmarks (`python -m app.bench core|ui|agreement|assist|conll`): yardsticks, not product code and not tests."""
