"""The Tillsync sidecar."""
