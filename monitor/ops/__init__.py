"""Running it: the health and metrics endpoint (``health``), the silence alarms (``watchdog``), the
set-up check (``doctor``) and what an operator does to pending alerts (``admin``)."""
