"""Bring an existing seminar site into Podium: Jekyll/academicpages pages and calendar files."""
