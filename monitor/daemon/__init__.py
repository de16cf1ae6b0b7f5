"""The long-running process: wiring (``components``), what the timed jobs do (``jobs``), config
reload (``reload``), one round of everything for ``once`` (``rounds``), the reader and delivery
threads (``loops``), what /healthz says and where (``status``), the process's heartbeat in the
store (``liveness``), and the lifecycle (``daemon``)."""

from monitor.daemon.components import Components, Lasting, build, instance_id
from monitor.daemon.daemon import Daemon
from monitor.daemon.rounds import RoundOutcome, alert_now, run_round

__all__ = ["Components", "Daemon", "Lasting", "RoundOutcome", "alert_now", "build", "instance_id",
           "run_round"]
