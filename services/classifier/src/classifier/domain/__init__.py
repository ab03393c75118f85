"""Pure classification: text in, topic, body type, urgency and confidence out."""
