"""Request and response models of the API, by area (never imported by rules/ or usecases/)."""
