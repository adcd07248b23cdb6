"""Make the pages readers see: the section navigation, the page files, each page's security policy, the static export.

What a page is made of, the same for a page Voilà renders and for its static copy in ``notebooks/site/``: the
previous / next / index links, the charts and downloads moved out of it into files, and a content-security policy
made from its content. The static export writes every section so, with no kernel; ``serve`` sends the live pages.

May import: core, present (the panel's static form) and report (the researcher-only tag).
"""
