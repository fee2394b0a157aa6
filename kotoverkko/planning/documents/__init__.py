"""Documents of the planning area: the programme, a monitoring round's report and the description
of the kotoutumisohjelma, each as DOCX (python-docx) and PDF (WeasyPrint).

`builder` turns the data into a `Document` of plain dataclasses; `docx_renderer` and
`pdf_renderer` lay the same `Document` out. Nothing here writes to the database.
"""
