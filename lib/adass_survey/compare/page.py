"""The "Compare my council" page: the HTML form with every answer's block, and its one small script.

:func:`compare_page` is what the notebook calls: a ``text/html`` output, no widget, so a dashboard's kernel is
released as soon as the page is sent and the static copy (or the file saved to disk) works the same with no server.
Choosing an answer shows its block by CSS alone. The script (:data:`SCRIPT`) does only what CSS cannot: it shows
the "Download summary" button, the form's submit button, and handles the form's submission in the page: it cancels
it (``preventDefault``: nothing is submitted anywhere), builds the summary (the chosen answers' blocks and the
optional name, in the summary's parts the page holds as inert JSON text) and hands it to the browser as a ``Blob``
file. Enter in a text box or on an answer does nothing, as with no script. It sends nothing. With scripts off the
page still answers, prints its summary, and hides the button; the form, ``method="dialog"`` outside any dialog, is
never submitted.

The page's Content-Security-Policy allows this script by its hash (:func:`script_hashes`) and no connection at all.
"""

from __future__ import annotations

import base64
import hashlib

from ..present.html_block import HtmlBlock
from ..present.panel import html_panels
from .answers import NAME_LIMIT
from .form import ROOT_ID, form_html
from .spec import Item, form_items
from .style import compare_css

SCRIPT = """
(function () {
  var root = document.getElementById('%(root)s');
  var form = root && root.querySelector('form.adass-cmp-form');
  var button = root && root.querySelector('.adass-cmp-download');
  var source = root && root.querySelector('script.adass-cmp-summary');
  if (!form || !button || !source || !window.Blob || !window.JSON || !window.URL || !URL.createObjectURL) {
    return;
  }
  function summary() {
    var parts = JSON.parse(source.textContent);
    var doc = document.implementation.createHTMLDocument('');
    doc.body.innerHTML = parts.body;
    var name = root.querySelector('.adass-cmp-name input').value.trim().slice(0, %(limit)d);
    var line = doc.body.querySelector('.adass-cmp-for');
    if (name) { line.querySelector('span').textContent = name; } else { line.parentNode.removeChild(line); }
    var answers = doc.body.querySelector('.adass-cmp-answers');
    var chosen = root.querySelectorAll('.adass-cmp-opt:checked');
    for (var i = 0; i < chosen.length; i++) {
      var block = document.getElementById(chosen[i].getAttribute('data-block'));
      var item = block && block.querySelector('.adass-cmp-item');
      if (!item) { continue; }
      var copy = doc.importNode(item, true);
      var heading = copy.querySelector('h3');
      if (heading) {
        var h2 = doc.createElement('h2');
        while (heading.firstChild) { h2.appendChild(heading.firstChild); }
        heading.parentNode.replaceChild(h2, heading);
      }
      answers.appendChild(copy);
    }
    return '<!DOCTYPE html><html lang="en"><head>' + parts.head + '</head><body>' + doc.body.innerHTML +
      '</body></html>';
  }
  function download() {
    var url = URL.createObjectURL(new Blob([summary()], {type: 'text/html;charset=utf-8'}));
    var link = document.createElement('a');
    link.href = url;
    link.download = button.getAttribute('data-filename');
    link.hidden = true;
    root.appendChild(link);
    link.click();
    root.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  form.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target.nodeName === 'INPUT') { event.preventDefault(); }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (event.submitter === button || !('submitter' in event)) { download(); }
  });
  button.hidden = false;
})();
""" % {"root": ROOT_ID, "limit": NAME_LIMIT}
"""The page's only script, exactly as it is inside its ``<script>`` element (its hash is over these characters)."""

PLAIN_TEXT = (
    "Compare my council: a form of {n} questions, each not answered until you choose, with the published figures "
    "of its {blocks} answers in the page (nothing is sent)."
)


def script_hash(script: str = SCRIPT) -> str:
    """Return the Content-Security-Policy source that allows ``script`` inline: ``'sha256-<base64>'``.

    Examples
    --------
    >>> script_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def script_hashes() -> list[str]:
    """Return the ``script-src`` sources of every inline script this page adds (one), for its CSP header.

    The page makes no request of its own, so its policy can say ``connect-src 'none'``.

    Examples
    --------
    >>> script_hashes() == [script_hash(SCRIPT)]
    True
    """
    return [script_hash(SCRIPT)]


def page_html(items: list[Item] | None = None, styled: bool = False) -> str:
    """Return the page's output: the form (:func:`~adass_survey.compare.form.form_html`) followed by its script.

    ``styled`` puts the form's rules (:func:`~adass_survey.compare.style.compare_css`) in a ``<style>`` first, for
    JupyterLab, whose page has no site stylesheet; a reader's page has them in its head.

    Examples
    --------
    >>> html = page_html()
    >>> html.count("<fieldset"), html.endswith(f"<script>{SCRIPT}</script>"), "<style>" in html
    (18, True, False)
    >>> page_html(styled=True).startswith("<style>")
    True
    """
    style = f"<style>{compare_css()}</style>" if styled else ""
    return f"{style}{form_html(items)}<script>{SCRIPT}</script>"


def compare_page(items: list[Item] | None = None) -> HtmlBlock:
    """Return the page's form as a displayable block (``text/html``, with a plain-text form for nbval).

    Styled in JupyterLab; on a reader's page (Voilà's or the static export's) its rules come from the site stylesheet.

    Examples
    --------
    >>> compare_page()
    Compare my council: a form of 18 questions, each not answered until you choose, with the published figures of its 40 answers in the page (nothing is sent).
    """
    items = items if items is not None else form_items()
    text = PLAIN_TEXT.format(n=len(items), blocks=sum(len(item.options) for item in items))
    return HtmlBlock(page_html(items, styled=not html_panels()), text)
