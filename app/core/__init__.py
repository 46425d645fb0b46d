"""The Qt-free core: data model, storage, import/export, agreement, Arabic text helpers.

Nothing under this package may import Qt (tests/test_architecture.py enforces it), so every rule here can be
tested, scripted and benchmarked without a screen.
"""
