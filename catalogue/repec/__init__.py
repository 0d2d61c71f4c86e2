"""The RePEc archive files (issue 16): each archive served as RePEc harvests an archive, at
`/repec/<code>/`, so that a publisher whose records live here registers this address with RePEc.

`<code>arch.rdf` (the Archive template), `<code>seri.rdf` (its Series templates) and one folder
per series holding `<series>.rdf`, the item templates of its public items, written by
catalogue.formatting.redif; each folder has an index page of links, as a web server's directory
listing, which RePEc's harvester and ours (catalogue.harvest.listing) follow.
"""
