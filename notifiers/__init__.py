"""Numbers to messages: Block Kit summaries, and the notifiers that deliver them."""
