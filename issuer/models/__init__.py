"""Request and response models of the JSON API, one module per resource.

Each resource has a family: ``…Create`` (POST body), ``…Update`` (PATCH body,
every field optional, ``null`` clears optional fields) and ``…Public`` (what the
API answers). Tables live apart in ``issuer.store.tables``.
"""
