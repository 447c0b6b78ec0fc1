"""Output: the build top to bottom, the atomic swap, the manifest, reports and the preview server."""
