"""Access and download statistics: counting hits into a buffer (counting) that flush_stats
adds to MonthlyStat; as pages, monthly figures and totals (pages), the rollups refresh_stats
keeps (rollups) and rankings (rankings). Historical figures are imported by catalogue.ingest.stats."""
