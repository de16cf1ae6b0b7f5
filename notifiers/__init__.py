"""Transports: a finished message to where it is read. ``slack`` (a bot token: post, edit, find our
own posts again), ``webhook`` (an incoming webhook: post only), ``console`` (print), with their
errors in ``errors`` and the Slack HTTP details in ``slackhttp``; ``workspace`` is the read-only
view ``hkex-monitor doctor`` checks the set-up with. Nothing here knows of filings, stores or
figures: composition lives in ``monitor.messages``."""
