"""The read side, shaped for the API (and the console's letters screens). Addresses are shown
masked (R-46: region, street, numbers hidden); full addresses exist only in the print files."""

from .letters import address_view, case_letters, letter_detail, list_letters

__all__ = ["address_view", "case_letters", "letter_detail", "list_letters"]
