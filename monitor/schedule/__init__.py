"""When things happen, in one place: HKEXnews' publication windows (``windows``), the feed's
regeneration cadence learnt from its ``genDate`` (``cadence``), the plan of the next poll, made once
per poll, with the results days it polls faster on (``plan``), and the APScheduler jobs that run
the poll, the heartbeat, the alarm check, the calendar, the digest and the reconciliation
(``jobs``). Nothing here reads the store or calls back into the daemon: what a job does is handed
in, and what the plan needs (the cadence, the results days) is pushed to it."""
