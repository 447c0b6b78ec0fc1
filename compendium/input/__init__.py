"""Input: read the project (YAML with positions), declare and validate its formats, countries, images."""
