"""PDF documents made with fpdf2 (pure Python, no system libraries)."""
