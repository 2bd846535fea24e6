"""The mail command moved to ``python -m evidence.mail`` (it queues evidence's reminders, and
imports run one way): say so loudly, so that a timer still calling this one is noticed."""

import sys

MOVED = (
    "The mail command is now 'python -m evidence.mail' (send, status, test), with the same "
    "arguments. Change the cron line or systemd unit that runs 'python -m consultations.mail'."
)

if __name__ == "__main__":
    print(MOVED, file=sys.stderr)
    sys.exit(2)
