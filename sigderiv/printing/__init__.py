"""Printers: one module per printer, each a SymPy Printer subclass."""
