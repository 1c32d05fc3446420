"""The benchmarks of ``python manage.py bench``: they measure and print; they assert
nothing about time (query counts are pinned by the tests, timing is the machine's).

- ``corpus``: importing a synthetic corpus made from the seeds;
- ``pages``: the article page against its floor, with 0, 10 and 1,000 annotations,
  the list pages, and creating an annotation through the form;
- ``reanchoring``: the academic seed with 10,000 annotations, re-imported with 30
  small edits spread over it;
- ``probes``: the pathological inputs of the hardening work (regular expressions,
  markdown), each timed once;
- ``formats``: import throughput for text, web pages and PDFs, and where the time goes;
- ``upload``: a submission of 20 files through the import page, worker embedded and inline;
- ``wild``: the real pages and PDFs of ../shared/wild-articles against their gold
  snippets, beside trafilatura's own extraction (skipped where the folder is absent);
- ``similarity``, ``scale``: suggested links against hand-judged topics; search, links
  and the browsing pages over a corpus of 200,000 paragraphs;
- ``exchange``: 100,000 annotations exported as W3C Web Annotations and CSV (time,
  peak memory), the protocol container's first page, and the export imported back;
- ``load`` (only with ``--only load``): the production server under Locust on
  PostgreSQL, with 1, 2 and 4 workers; errors and lost updates counted.
"""
