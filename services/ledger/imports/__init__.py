"""Files into the ledger, and the ledger out as a file.

    settings.py     how a file is read: its format, date format, decimal separator, CSV columns
    fields.py       one value of a row (a date, an amount, a text) read strictly, or a RowError
    csv_file.py     CSV through the standard library's csv reader, mapped by column
    ofx_file.py     OFX 1.x (SGML), OFX 2 (XML) and QFX through ofxtools' parser, by FITID
    qif_file.py     QIF through quiffen, its dates and amounts checked (and made exact) first
    reading.py      a file's text and settings -> its rows and errors, whatever the format
    matching.py     each row's identity (FITID or fingerprint) and which rows are duplicates
    service.py      an import's life: start, text in parts, preview, run (a job on the ledger's
                    queue), and reading imports back
    running.py      the job: read, match, stage in batches (progress), publish in one transaction
    export.py       transactions as RFC 4180 CSV
    jobs.py         the ledger's queue and the import job's message
    repository.py   every query of the above, scoped by the owning user

An import is RECEIVING while its text arrives (the gateway refuses bodies over 1 MB, so a big
file comes in parts), QUEUED once run, RUNNING in a worker, then COMPLETED or FAILED. Its rows
reach ledger_transactions in one transaction: before it, nothing of the import is visible;
after it, all of it is.
"""
