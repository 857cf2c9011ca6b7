"""The only modules that touch the network: the wiki gateway and the pageviews client."""
