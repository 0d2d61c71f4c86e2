"""Access and download statistics: counting (robots left out, buffered), pages and rankings."""
