"""The read side, shaped for the API: worklist queries (worklist.py); the case page is assembled by
usecases/casepage.py from the stores."""
