"""The learned event reader: trained spaCy components that find event triggers and their factuality.

- ``corpus``: reads and validates the annotated training corpus (``corpus/`` in the repository) and
  turns it into spaCy training documents.
- ``components``: the ``chronicle_event_tagger`` factory, a tagger whose labels live on
  ``Token._.event_trigger`` / ``Token._.event_factuality`` instead of ``Token.tag_`` (so the base
  pipeline's part-of-speech tags stay intact).
- ``reader``: loads the shipped weights into the base spaCy pipeline and reads trigger predictions.
- ``train``: ``chronicle train``, which rebuilds the shipped weights from the corpus.

Weights live in ``weights/<base>/`` (one set per base pipeline: ``sm`` without static vectors,
``md`` with ``en_core_web_md``'s vectors, which the md base pipeline provides at run time).
"""
