"""Reading documents: the queue reader (``reader``) and the warm parse workers it hands PDFs to
(``parsepool``, ``parseworker``; a worker imports only the standard library and ``parsers``)."""
