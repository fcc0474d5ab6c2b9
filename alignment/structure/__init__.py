"""The heading tree of a Chinese official document: 篇/章/节/条, 一、/（一）/1./（1）/①, 专栏, 附件, tables.

``parse(document)`` returns a :class:`~alignment.schema.ParsedDocument` whose sections partition
the text; ``to_dict`` and ``tree_text`` render it; ``split_sentences`` and ``article_paragraphs``
give the finer spans later stages cut units from. See :mod:`alignment.structure.parser` for the
rules.
"""
from alignment.structure.parser import article_paragraphs, parse
from alignment.structure.render import to_dict, tree_text
from alignment.structure.sentences import split_sentences

__all__ = ["parse", "to_dict", "tree_text", "split_sentences", "article_paragraphs"]
