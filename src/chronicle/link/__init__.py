"""The link stage: one event, one person, many sources; places on the map.

- :mod:`chronicle.link.gazetteer`: offline geocoding (``geocode``, ``country_code``);
- :func:`link_documents`: in-memory cross-document linking of processed Documents;
- :mod:`chronicle.link.store`: incremental linking of newly stored documents (``link_incremental``);
- :mod:`chronicle.link.exports`: GeoJSON and ACLED-CSV exporters.
"""

from chronicle.link.batch import link_documents

__all__ = ["link_documents"]
