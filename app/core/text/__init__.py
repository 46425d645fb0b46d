"""Text as it is stored: Arabic match keys (arabic), code points and the UTF-16 boundary (offsets), the tokenizer that
returns offsets (tokenize) and page-furniture lines (boilerplate). Pure functions of a string; imports nothing else of
the core, so every family above can use them."""
