"""Local stand-ins for what exists only on Wikimedia's servers, and a pair of local wikis.

The analytics stand-in answers the pageviews and Commons Impact Metrics REST routes with
synthetic, deterministic figures and can inject faults;
:mod:`bot.devwiki.standins.commons_pair` lets one
local wiki show the files of another, as Wikipedias show Commons files. Figures from a stand-in
are synthetic: every answer says so in a header, and the clients carry it into their methods.
"""
