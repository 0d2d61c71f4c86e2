"""Usage statistics as pages: monthly figures and totals (pages), the rollups refresh_stats
keeps (rollups), rankings (rankings), and the import of historical figures (importing).
Counting itself (the buffer flushed into MonthlyStat) lives apart from these."""
