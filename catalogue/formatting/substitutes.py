"""CSL's rule for substituted variables, which citeproc-py 0.11 keeps only in part.

CSL 1.0.1, cs:substitute: "Substituted variables are suppressed in the rest of the output to
prevent duplication." citeproc-py records only the `variable` attribute of the substitute's
direct child, and only a `cs:text` ever looks at what it recorded. The styles we ship
substitute through a macro (`<text macro="title"/>`) or through names inside a `<choose>`, so an
item without authors printed its title twice (APA, Chicago), and an edited book its editors
twice ("Roe, J. (Ed.). (2020). Handbook (J. Roe, Ed.)").

`install()` wraps three of citeproc-py's methods, once per process (styles._loaded calls it):
- the substitute notes every variable actually printed while each of its children renders (a
  branch not taken prints nothing, so its variables stay free), and suppresses them all;
- a text variable and a names variable note themselves when printed during a substitute;
- names leave out a role that a substitute printed (as a text variable already was).
What was noted lives in the layout's `repressed` map, which citeproc-py empties for each entry.
A test per case (tests/formatting/test_citation_styles.py) fails if an upgrade of citeproc-py
changes the methods underneath.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from citeproc import model  # type: ignore[import-untyped]  # no type information
from citeproc.source import VariableError  # type: ignore[import-untyped]

_NOTING = "\x00noting"  # a key of Layout.repressed no CSL tag can be: the variables printed meanwhile
_lock = threading.Lock()
_installed = False


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        text_variable, names_process = model.Text._variable, model.Names.process

        def _variable(self: Any, item: Any, context: Any) -> Any:
            text = text_variable(self, item, context)
            if text is not None:
                _note(context, self.tag, self.get("variable"))
            return text

        def process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
            layout = (context if context is not None else self).get_layout()
            roles = self.get("variable", "").split()
            left_out = set(layout.repressed.get(self.tag, ())) & set(roles)
            if left_out:
                if left_out >= {role for role in roles if role in item.reference}:
                    raise VariableError  # all it would print was printed in the author's place
                item = _Without(item, left_out)
            text = names_process(self, item, names_context=names_context, context=context, **kwargs)
            if text:
                for role in roles:
                    if role in item.reference:
                        _note(context if context is not None else self, self.tag, role)
            return text

        model.Text._variable = _variable
        model.Names.process = process
        model.Substitute.render = _substitute_render
        _installed = True


def _note(context: Any, tag: str, variable: str) -> None:
    noting = context.get_layout().repressed.get(_NOTING)
    if noting is not None:
        noting.append((tag, variable))


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's Substitute.render, suppressing all that the chosen child printed."""
    repressed = context.get_layout().repressed
    outer = repressed.get(_NOTING)
    text = None
    try:
        for child in self.getchildren():
            repressed[_NOTING] = []
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text:
                printed = [(child.tag, child.get("variable")), *repressed[_NOTING]]
                for tag, variable in printed:
                    if variable:
                        for one in variable.split():
                            repressed.setdefault(tag, []).append(one)
                if outer is not None:
                    outer.extend(printed)
                break
    finally:
        if outer is None:
            repressed.pop(_NOTING, None)
        else:
            repressed[_NOTING] = outer
    return text


class _Without:
    """A citation item whose reference lacks some names (those a substitute printed)."""

    def __init__(self, item: Any, roles: set[str]) -> None:
        self._item = item
        self.reference = copy.copy(item.reference)
        for role in roles:
            self.reference.pop(role, None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)
