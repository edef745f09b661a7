"""Data files and tables of the demo: organisations, people, public reports (CSV) and
the tables the demo intelligence is written from."""
