"""The annotation app's pages: the reader (``reader``), annotations (``annotations``),
the form's type-ahead and suggestions (``lookups``) and teams (``teams``)."""
