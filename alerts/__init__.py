"""Turn detections into notifications: channels, routing, silences, messages, delivery.

Plain Python, no Kafka or Faust: the stream's route agent calls
``routing.Router`` (state in mappings it backs with Faust tables) and its
deliver agent calls ``delivery.deliver_alert``.

- ``channels``: the ``channels:`` config list and each channel's filter.
- ``fingerprint``: one key per real-world event, for de-duplication.
- ``silences``: Alertmanager-style matchers that mute detections for a while.
- ``message`` / ``templates``: the title and markdown body of a notification.
- ``routing`` / ``alert``: grouping and repeat timing; the Alert record.
- ``delivery``: apprise sending with retries, URL masking, subscriptions.
"""
