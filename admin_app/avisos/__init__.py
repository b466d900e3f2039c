"""Email notices through an outbox (`avisos`).

A notice is a row written in the same transaction as its cause (an operation
made, a day's reminders queued, the weekly summary): if that transaction rolls
back there is no notice, if it commits the notice is there whatever happens to
the mail server. After the commit the sender runs (cola.py: RQ when REDIS_URL is
set, else a thread; at once under JOBS_INLINE), and `flask avisos enviar` from
cron catches up with anything left. envio.py claims each notice with one
conditional UPDATE before talking to the server, so two senders never send the
same one; a failure is retried with a growing wait, and every attempt is kept.
"""
