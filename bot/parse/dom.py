"""Build MediaWiki's preprocessor tree of a page: a port of ``Preprocessor_Hash`` (1.39).

:func:`build_dom` is ``Preprocessor_Hash::buildDomTreeArrayFromText`` for a page view (not an
inclusion): ``<includeonly>`` content becomes an ignored node, ``<noinclude>`` and
``<onlyinclude>`` tags are ignored and their content read. The brace, bracket, heading, comment
and extension-tag rules are MediaWiki's, step by step, including what happens to what is opened
and never closed: it falls back to plain text. Node offsets point into the text read.

The nodes are in :mod:`bot.parse.nodes`.

For speed the scanner jumps with one compiled regular expression per state to the next place
where MediaWiki's ``strcspn`` loop would do anything but copy text (it also stops at single
braces, hyphens and newlines, and copies them): the tree is the same.
"""

from __future__ import annotations

import re

from bot.parse.nodes import (
    EQUALS,
    Comment,
    Dom,
    Ext,
    Heading,
    Ignore,
    Node,
    OpenPiece,
    Part,
    Piece,
    Template,
)
from bot.parse.scan import (
    IGNORED_TAGS,
    SIMPLE_LINK,
    SIMPLE_PART,
    WS,
    CallFreeRest,
    add_literal,
    closing_regex,
    elements_regex,
    search_regex,
    spaces_before,
    strspn,
)

# Brace rules (Preprocessor::$rules): opening -> (closing, names by count, min, max).
_RULES: dict[str, tuple[str, dict[int, bool], int, int]] = {
    "{": ("}", {2: True, 3: True}, 2, 3),  # 2: template, 3: tplarg
    "[": ("]", {2: False}, 2, 2),  # no element: plain text
    "-{": ("}-", {2: False}, 2, 2),
}


def build_dom(text: str, tags: frozenset[str], language_conversion: bool = True) -> Dom:
    """Return the preprocessor tree of ``text`` read as a page (tags: extension tag names).

    The tree is built for the calls it holds, not for its text: once everything opened is
    closed and the rest of the text holds no ``{{`` (and nothing before it can hold back a
    reference to render later), the rest is one text node, whatever markup it holds. No call
    can start there, and nothing there can change a call before it.
    """
    if "{{" not in text:
        return Dom([text] if text else [], ())
    return _Builder(text, tags, language_conversion).build()


class _Builder:
    """One run of buildDomTreeArrayFromText; its loop state lives in the locals of build()."""

    def __init__(self, text: str, tags: frozenset[str], language_conversion: bool) -> None:
        self.text = text
        self.tags = tags
        self.lc = language_conversion
        self.elements = elements_regex(tags)
        self.root: list[Node] = []
        self.stack: list[Piece] = []
        self.heading_index = 1
        #: No '>' is left after the position reached: tags are no longer looked for.
        self.no_more_gt = False
        #: Tag names (as written) with no closing tag after the position reached.
        self.no_more_closing: set[str] = set()
        self.fake_line_start = True
        #: A ``<!--`` or ``<includeonly>`` that is never closed and hides the rest of the text.
        self.open_to_end: OpenPiece | None = None
        self.rest = CallFreeRest(text)

    def accum(self) -> list[Node]:
        return self.stack[-1].parts[-1].out if self.stack else self.root

    def build(self) -> Dom:  # noqa: PLR0912, PLR0915 - the dispatch of MediaWiki's one loop
        text, stack = self.text, self.stack
        length = len(text)
        accum = self.root
        find_pipe = find_equals = in_heading = False
        regexes: dict[tuple[str, bool, bool, bool, bool], re.Pattern[str]] = {}
        i = 0
        while True:
            if self.fake_line_start:
                i, accum = self._line_start(i, accum, find_equals)
                find_pipe, find_equals, in_heading = self._flags()
                continue
            closing = stack[-1].close if stack else ""
            state = (closing, find_pipe, find_equals, in_heading, self.no_more_gt)
            regex = regexes.get(state)
            if regex is None:
                regex = regexes[state] = search_regex(self.tags, *state, self.lc)
            match = regex.search(text, i)
            position = match.start() if match else length
            if position > i:
                if accum and type(accum[-1]) is str:
                    accum[-1] += text[i:position]
                else:
                    accum.append(text[i:position])
                i = position
            if match is None:
                if closing != "\n":
                    break
                accum = self._line_end(i, accum)
                find_pipe, find_equals, in_heading = self._flags()
                continue
            char = text[i]
            if char == "|":
                top = stack[-1]
                fast = top.open == "{"
                while True:
                    part = Part(i + 1)
                    top.parts.append(part)
                    accum = part.out
                    i += 1
                    simple = SIMPLE_PART.match(text, i) if fast else None
                    if simple is None:
                        find_equals = True
                        break
                    # "name = value" of plain text: what the scan would do in two steps.
                    name, value = simple.group(1, 2)
                    if name:
                        part.eqpos = 1
                        accum.extend((name, EQUALS, value) if value else (name, EQUALS))
                    else:
                        part.eqpos = 0
                        accum.extend((EQUALS, value) if value else (EQUALS,))
                    find_equals = False
                    i = simple.end()
                    if not text.startswith("|", i):
                        break
            elif char == "=":
                find_equals = False
                accum.append(EQUALS)
                stack[-1].parts[-1].eqpos = len(accum) - 1
                i += 1
            elif char == "<":
                i = self._angle(i, accum)
            elif char == "\n":
                if in_heading:
                    accum = self._line_end(i, accum)
                else:
                    i, accum = self._line_start(i, accum, find_equals)
                find_pipe, find_equals, in_heading = self._flags()
            elif match.group() == (closing * 2 if len(closing) == 1 else closing):
                i, accum = self._close(i, match.group(), accum)
                if not stack and self.rest.holds_no_call_from(i):
                    add_literal(accum, text[i:])
                    break
                find_pipe, find_equals, in_heading = self._flags()
            else:
                link = SIMPLE_LINK.match(text, i) if char == "[" else None
                if link is not None:
                    # A link of plain text: pushed, closed and broken back into text.
                    if accum and type(accum[-1]) is str:
                        accum[-1] += link.group()
                    else:
                        accum.append(link.group())
                    i = link.end()
                    continue
                i, accum = self._open(i, match.group(), accum)
                find_pipe, find_equals, in_heading = self._flags()
        unclosed = tuple(
            OpenPiece(piece.open * piece.count if len(piece.open) == 1 else piece.open,
                      piece.start, _head_text(piece.parts[0].out))
            for piece in stack if piece.open != "\n"
        )  # fmt: skip
        if self.open_to_end is not None:  # it starts after every piece still open
            unclosed = (*unclosed, self.open_to_end)
        for piece in stack:
            self.root.extend(piece.break_syntax())
        for node in self.root:
            if type(node) is Heading:
                node.top = True
        return Dom(self.root, unclosed)

    def _angle(self, i: int, accum: list[Node]) -> int:
        """Read the comment or tag at ``i``; return the next position."""
        text = self.text
        matched = self.elements.match(text, i + 1)
        if not matched:
            add_literal(accum, "<")
            return i + 1
        if matched.group(2):
            return self._comment(i, accum)
        name = matched.group(1)
        lower = name.lower()
        attr_start = i + len(name) + 1
        tag_end = -1 if self.no_more_gt else text.find(">", attr_start)
        if tag_end < 0:
            self.no_more_gt = True
            add_literal(accum, "<")
            return i + 1
        if lower in IGNORED_TAGS:
            accum.append(Ignore(text[i : tag_end + 1], i))
            return tag_end + 1
        inner: str | None = None
        close: str | None = None
        if text[tag_end - 1] == "/":
            attr_end, end = tag_end - 1, tag_end + 1
        else:
            attr_end = tag_end
            closing_tag = None
            if name not in self.no_more_closing:
                closing_tag = closing_regex(name).search(text, tag_end + 1)
            if closing_tag:
                inner, close = text[tag_end + 1 : closing_tag.start()], closing_tag.group()
                end = closing_tag.end()
            elif name == "includeonly":
                inner, end = text[tag_end + 1 :], len(text)
                self.open_to_end = OpenPiece("<includeonly>", i, "")
            else:
                add_literal(accum, text[i : tag_end + 1])
                self.no_more_closing.add(name)
                return tag_end + 1
        if lower == "includeonly":
            accum.append(Ignore(text[i:end], i))
        else:
            attr = text[attr_start:attr_end] if attr_end > attr_start else ""
            accum.append(Ext(name, attr, inner, close, start=i, end=end))
        return end

    def _line_start(self, i: int, accum: list[Node], find_equals: bool) -> tuple[int, list[Node]]:
        """Start a line at ``i`` (a newline, or where a comment ate one): maybe a heading."""
        if self.fake_line_start:
            self.fake_line_start = False
        else:
            add_literal(accum, "\n")
            i += 1
        count = strspn(self.text, "=", i, 6)
        if count > 0 and not (count == 1 and find_equals):
            piece = Piece("\n", "\n", count, i)
            piece.parts = [Part(i, "=" * count)]
            self.stack.append(piece)
            return i + count, piece.parts[-1].out
        return i, accum

    def _line_end(self, i: int, accum: list[Node]) -> list[Node]:
        """End the heading open at the top of the stack; return the accumulator to use."""
        text, stack = self.text, self.stack
        piece = stack[-1]
        part = piece.parts[-1]
        search_start = i - spaces_before(text, i)
        if part.comment_end is not None and search_start - 1 == part.comment_end:
            visual = part.visual_end if part.visual_end is not None else search_start
            search_start = visual - spaces_before(text, visual)
        count = piece.count
        equals_length = 0
        while search_start - equals_length > 0 and text[search_start - equals_length - 1] == "=":
            equals_length += 1
        element: list[Node] = accum
        if equals_length > 0:
            if search_start - equals_length == piece.start:
                count = 0 if equals_length < 3 else min(6, (equals_length - 1) // 2)
            else:
                count = min(equals_length, count)
            if count > 0:
                element = [Heading(count, self.heading_index, accum)]
                self.heading_index += 1
        stack.pop()
        accum = self.accum()
        accum.extend(element)
        return accum

    def _flags(self) -> tuple[bool, bool, bool]:
        """Return (findPipe, findEquals, inHeading) for the top of the stack."""
        if not self.stack:
            return False, False, False
        top = self.stack[-1]
        pipe = top.open not in ("\n", "[")
        return pipe, pipe and len(top.parts) > 1 and top.parts[-1].eqpos is None, top.open == "\n"

    def _comment(self, i: int, accum: list[Node]) -> int:
        """Read the comment (or run of comments) at ``i``; return the next position."""
        text = self.text
        end = text.find("-->", i + 4)
        if end < 0:
            accum.append(Comment(text[i:], i, unclosed=True))
            self.open_to_end = OpenPiece("<!--", i, "")
            return len(text)
        ws_start = i - spaces_before(text, i) if i else 0
        ws_end = end + 2 + strspn(text, WS, end + 3)
        comments = [(ws_start, ws_end)]
        # MediaWiki looks for the comments that follow on the line even when the line cannot
        # be eaten, and then reads only the first one: that makes a run of comments quadratic.
        # The run only matters when the line starts with it.
        line_start = ws_start > 0 and text[ws_start - 1] == "\n"
        while line_start and text[ws_end + 1 : ws_end + 5] == "<!--":
            following = text.find("-->", ws_end + 4)
            if following < 0:
                break
            following = following + 2 + strspn(text, WS, following + 3)
            comments.append((ws_end + 1, following))
            ws_end = following
        if line_start and text[ws_end + 1 : ws_end + 2] == "\n":
            ws_length = i - ws_start
            if ws_length > 0 and accum and isinstance(accum[-1], str):
                last = accum[-1]
                if len(last) >= ws_length and not last[-ws_length:].strip(WS):
                    accum[-1] = last[:-ws_length]
            for start, stop in comments[:-1]:
                accum.append(Comment(text[start : stop + 1], start))
            start, end = comments[-1][0], comments[-1][1] + 1
            self.fake_line_start = True
        else:
            start, end = i, end + 2
        if self.stack:
            part = self.stack[-1].parts[-1]
            if not (part.comment_end is not None and part.comment_end == ws_start - 1):
                part.visual_end = ws_start
            part.comment_end = end
        accum.append(Comment(text[start : end + 1], start))
        return end + 1

    def _open(self, i: int, opening: str, accum: list[Node]) -> tuple[int, list[Node]]:
        text = self.text
        char = opening[0] if opening[0] != "-" else "-{"
        count = strspn(text, "{", i + 1) + 1 if char == "-{" else strspn(text, char, i)
        prefix = ""
        if char == "-{" and count > 2:
            prefix, char, count = "-", "{", count - 1
            i += 1
        close, _names, minimum, _maximum = _RULES[char]
        if count >= minimum:
            self.stack.append(Piece(char, close, count, i, prefix))
            accum = self.stack[-1].parts[-1].out
        else:
            add_literal(accum, prefix + char * count)
        return i + count, accum

    def _close(self, i: int, closing: str, accum: list[Node]) -> tuple[int, list[Node]]:
        text, stack = self.text, self.stack
        piece = stack[-1]
        char = "}-" if closing == "}-" else closing[0]
        max_count = piece.count
        if piece.close == "}-" and char == "}":
            max_count -= 1
        count = len(char) if len(char) > 1 else strspn(text, char, i, max_count)
        names, maximum = _RULES[piece.open][1], _RULES[piece.open][3]
        if count > maximum:
            matching = maximum
        else:
            matching = count
            while matching > 0 and matching not in names:
                matching -= 1
        if matching <= 0:
            add_literal(accum, text[i : i + count])
            return i + count, accum
        closing_text = text[i : i + matching]
        element = self._element(piece, matching, i, bool(names[matching]), closing_text)
        i += matching
        stack.pop()
        accum = self.accum()
        if matching < piece.count:
            accum = self._reopen(piece, matching, i, accum)
        elif piece.saved_prefix:
            add_literal(accum, piece.saved_prefix)
        accum.extend(element)
        return i, accum

    @staticmethod
    def _element(piece: Piece, matching: int, i: int, named: bool, closing_text: str) -> list[Node]:
        """Return what a piece closed by ``closing_text`` at ``i`` becomes."""
        if not named:
            element = piece.break_syntax(matching)
            add_literal(element, closing_text)
            return element
        parts = piece.parts[1:]
        index = 1
        end = i
        for part in reversed(parts):
            part.end, end = end, part.start - 1
        for part in parts:
            eqpos = part.eqpos
            if eqpos is not None:
                part.name, part.value = part.out[:eqpos], part.out[eqpos + 1 :]
            else:
                part.value, part.index = part.out, index
                index += 1
        start = piece.start + piece.count - matching
        title = piece.parts[0].out
        return [Template(title, parts, is_arg=matching == 3, start=start, end=i + matching)]

    def _reopen(self, piece: Piece, matching: int, i: int, accum: list[Node]) -> list[Node]:
        """Push back what is left of a piece whose braces were not all used."""
        piece.parts = [Part(i)]
        piece.count -= matching
        if piece.count >= _RULES[piece.open][2]:
            self.stack.append(piece)
            return piece.parts[-1].out
        if piece.count == 1 and piece.open == "{" and piece.saved_prefix == "-":
            piece.saved_prefix, piece.open, piece.count, piece.close = "", "-{", 2, "}-"
            self.stack.append(piece)
            return piece.parts[-1].out
        head = piece.open[:-1]
        add_literal(accum, piece.saved_prefix + head + piece.open[-1] * (piece.count - len(head)))
        return accum


def _head_text(nodes: list[Node]) -> str:
    return "".join(node for node in nodes if isinstance(node, str))
