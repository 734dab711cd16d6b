"""Personal data: which columns hold it, the keyed pseudonyms the shared serving copy shows
instead, erasure requests and their tombstones, and the retention of raw deliveries.

A person's e-mail, phone, names and the free text written about them reach only the people who
work leads (the restricted serving copy). The committee, the analysts and the SQL page read the
shared copy, where e-mails and phones are replaced by a keyed hash (HMAC-SHA-256 with the
warehouse's own key: the same person has the same pseudonym in every table and every run, so
joins and distinct counts still work, and nobody without the key can test a guess) and names
and free text are removed.
"""
