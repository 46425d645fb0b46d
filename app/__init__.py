"""Tawsim (توسيم): annotation of entities, quotes and stance in Arabic news."""
__version__ = "0.1.0"
