"""kprocess: a declarative process engine for kunskapsstyrning rule packs."""

__version__ = "0.1.0"
