"""Moderation and safeguarding: matchers for what people write (safety words, recovery-language hints,
other people's details); flags, the queue and alerts come later and call them."""
