"""Recoup contact service: the collector's working day (contact records, statuses and follow-ups,
promises, worklists, complaints; R-14..R-25, R-47, R-49). So far only the pure rules exist
(`recoup_contact.rules`)."""
