from slackstandin import slack_standin  # noqa: F401  (a real local HTTP server standing in for Slack)
