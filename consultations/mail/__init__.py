"""Email: messages written to an outbox in the same transaction as the action that causes them,
and a sender that delivers what is due, once each, retrying while the mail server is down.

- ``config``: the mail settings as one value, and the ``Postbox`` that actions write to.
- ``letters``: each kind of message, written once as blocks and rendered as plain text and HTML.
- ``outbox``: writing, claiming, marking and listing messages.
- ``transport``: the SMTP server (and GOV.UK Notify) behind one small interface.
- ``sender``: delivering what is due; ``python -m evidence.mail send`` runs it.
"""
