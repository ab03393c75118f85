"""One Sender per platform (ingest.delivery.ports.Sender): posts answers with the page's own
credentials and turns every failure into a SendError."""
