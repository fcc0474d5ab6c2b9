"""policy-align: 对标对表 for Chinese policy documents.

Extract central, provincial and municipal documents, parse their structure, and map each plan
section to the directives it implements. Importing this package loads nothing: models, dictionaries
and documents are read only when a function is called with them.
"""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
