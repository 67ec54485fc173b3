"""One module per standard table; :mod:`parsers.tables.classify` says which table is which."""
