"""Entity type colours, shared by the report's highlights (CSS) and its charts."""

# displaCy's default colours for the matching spaCy labels (PERSON, ORG, GPE,
# LAW, LOC), so highlights look like the spaCy visualiser researchers know.
TYPE_COLORS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "COUNTRY": "#feca74",
    "LAW": "#ff8197",
    "LOCATION": "#ff9561",
}
