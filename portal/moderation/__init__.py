"""Moderation and safeguarding: matchers for what people write, and (later) flags, the queue and the audit trail."""
