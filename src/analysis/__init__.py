"""Follow English councils' children's services through Ofsted inspections."""

__version__ = "0.1.0"
