"""Benchmarks (not tests): `python -m bench` measures this app against a naive per-Marker folium app."""
