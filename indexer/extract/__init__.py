"""A page becomes an article, and an article's own facts (regions, documents) are found."""
