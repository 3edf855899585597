"""Geography: the local gazetteer (build, import, look-up), romanisation, geocoding, toponym recognition and
resolution. Extractors reach it through sitrep.extract.places."""
